// Loads Terraform configurations with HashiCorp's HCL parser (compiled to WebAssembly in
// @cdktn/hcl2json) and gives the tests a small model of them.
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join, relative, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const hcl = require("@cdktn/hcl2json");

export const TEST_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const TF_ROOT = resolve(TEST_DIR, "..");
export const REPO_ROOT = resolve(TF_ROOT, "..");

export const parseHcl = (filename, text) => hcl.parse(filename, text);
export const referencesIn = (filename, expr) => hcl.getReferencesInExpression(filename, expr);

/** Every directory holding a Terraform configuration (root, bootstrap, modules). */
export function configDirs() {
  const dirs = [TF_ROOT, join(TF_ROOT, "bootstrap")];
  const modRoot = join(TF_ROOT, "modules");
  for (const m of readdirSync(modRoot).sort()) {
    if (statSync(join(modRoot, m)).isDirectory()) dirs.push(join(modRoot, m));
  }
  return dirs;
}

export const tfFiles = (dir) => readdirSync(dir).filter((f) => f.endsWith(".tf")).sort().map((f) => join(dir, f));
export const rel = (p) => relative(TF_ROOT, p) || ".";

const cache = new Map();

/** Parses one directory into { dir, files, resources, data, variables, locals, outputs, modules, providers, terraform, checks }. */
export async function loadConfig(dir) {
  if (cache.has(dir)) return cache.get(dir);
  const cfg = { dir, name: rel(dir), files: {}, resources: [], data: [], ephemeral: [], variables: {}, locals: {}, outputs: {}, modules: {}, providers: [], terraform: [], unknownBlocks: [] };
  for (const file of tfFiles(dir)) {
    const json = await parseHcl(file, readFileSync(file, "utf8"));
    cfg.files[file] = json;
    for (const [kind, body] of Object.entries(json)) {
      switch (kind) {
        case "resource":
        case "data":
        case "ephemeral":
          for (const [type, byName] of Object.entries(body)) {
            for (const [name, blocks] of Object.entries(byName)) {
              for (const b of blocks) cfg[kind === "resource" ? "resources" : kind].push({ type, name, body: b, file, address: `${kind === "resource" ? "" : kind + "."}${type}.${name}` });
            }
          }
          break;
        case "variable":
        case "output":
        case "module":
          for (const [name, blocks] of Object.entries(body)) {
            const target = { variable: cfg.variables, output: cfg.outputs, module: cfg.modules }[kind];
            if (target[name]) cfg.unknownBlocks.push({ kind: `duplicate ${kind}`, name, file });
            target[name] = { ...blocks[0], __file: file, __count: blocks.length };
          }
          break;
        case "locals":
          for (const block of body) {
            for (const [k, v] of Object.entries(block)) {
              if (k in cfg.locals) cfg.unknownBlocks.push({ kind: "duplicate local", name: k, file });
              cfg.locals[k] = v;
            }
          }
          break;
        case "provider":
          for (const [name, blocks] of Object.entries(body)) for (const b of blocks) cfg.providers.push({ name, body: b, file });
          break;
        case "terraform":
          for (const b of body) cfg.terraform.push({ body: b, file });
          break;
        default:
          cfg.unknownBlocks.push({ kind, file });
      }
    }
  }
  cache.set(dir, cfg);
  return cfg;
}

export async function loadAll() {
  const out = [];
  for (const d of configDirs()) out.push(await loadConfig(d));
  return out;
}

/** Resources of a config whose type matches. */
export const resourcesOf = (cfg, type) => cfg.resources.filter((r) => r.type === type);

/** Walks every value of a parsed body, calling fn(value, path) for strings. */
export function walkStrings(node, fn, path = []) {
  if (typeof node === "string") fn(node, path);
  else if (Array.isArray(node)) node.forEach((v, i) => walkStrings(v, fn, path.concat(i)));
  else if (node && typeof node === "object") for (const [k, v] of Object.entries(node)) walkStrings(v, fn, path.concat(k));
}

/** Returns the expression text of "${...}" if the whole string is one interpolation. */
export function soleExpression(s) {
  if (typeof s !== "string" || !s.startsWith("${") || !s.endsWith("}")) return null;
  // make sure the first ${ closes at the very end
  let depth = 0;
  for (let i = 1; i < s.length; i++) {
    const c = s[i];
    if (c === "{") depth++;
    else if (c === "}") { depth--; if (depth === 0 && i !== s.length - 1) return null; }
  }
  return s.slice(2, -1).trim();
}

export const readText = (p) => readFileSync(p, "utf8");
export const exists = existsSync;

/** Parses a .tfvars file (HCL attributes only). */
export async function loadTfvars(path) {
  return parseHcl(path, readFileSync(path, "utf8"));
}
