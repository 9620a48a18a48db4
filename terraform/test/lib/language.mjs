// Terraform-language rules checked on the parsed configurations.
import { join, resolve, dirname } from "node:path";
import { existsSync } from "node:fs";
import { loadConfig, referencesIn, walkStrings, rel } from "./hcl.mjs";
import { hasAttribute, awsSchema } from "./schema.mjs";

// Labels each block kind takes: a block with n labels parses to n nested objects around an array of bodies.
export const TOP_LEVEL_LABELS = { resource: 2, data: 2, ephemeral: 2, module: 1, variable: 1, output: 1, provider: 1, locals: 0, terraform: 0, check: 1, moved: 0, import: 0, removed: 0 };
const NESTED_LABELS = { terraform: { backend: 1, required_providers: 0, cloud: 0 }, resource: { lifecycle: 0, provisioner: 1, connection: 0, dynamic: 1 }, data: { lifecycle: 0, dynamic: 1 }, variable: { validation: 0 }, output: { precondition: 0 } };

function bodiesAt(node, labels, where, errors) {
  if (labels === 0) {
    if (!Array.isArray(node) || !node.every((b) => b && typeof b === "object" && !Array.isArray(b))) {
      errors.push(`${where}: wrong number of labels`);
      return [];
    }
    return node;
  }
  if (!node || typeof node !== "object" || Array.isArray(node)) {
    errors.push(`${where}: wrong number of labels (expected ${labels} more)`);
    return [];
  }
  return Object.entries(node).flatMap(([label, inner]) => bodiesAt(inner, labels - 1, `${where} "${label}"`, errors));
}

/** Checks the label structure of one parsed file. */
export function checkLabels(json, file) {
  const errors = [];
  for (const [kind, node] of Object.entries(json)) {
    if (!(kind in TOP_LEVEL_LABELS)) { errors.push(`${file}: unknown top-level block "${kind}"`); continue; }
    const bodies = bodiesAt(node, TOP_LEVEL_LABELS[kind], `${file}: ${kind}`, errors);
    const nested = NESTED_LABELS[kind] ?? {};
    for (const body of bodies) {
      for (const [k, n] of Object.entries(nested)) if (k in body) bodiesAt(body[k], n, `${file}: ${kind} > ${k}`, errors);
      if (kind === "resource" || kind === "data") {
        const lc = body.lifecycle;
        if (lc) for (const l of lc) for (const k of Object.keys(l)) if (!["create_before_destroy", "prevent_destroy", "ignore_changes", "replace_triggered_by", "precondition", "postcondition"].includes(k)) errors.push(`${file}: unknown lifecycle argument ${k}`);
      }
    }
  }
  return errors;
}

const BUILTIN_ROOTS = new Set(["each", "count", "self", "path", "terraform"]);
const moduleCalls = (cfg) => Object.entries(cfg.modules);
export const moduleDir = (cfg, call) => resolve(cfg.dir, call.source);

/** Names of dynamic blocks (their iterators are valid roots inside the content). */
function dynamicNames(cfg) {
  const names = new Set();
  for (const r of [...cfg.resources, ...cfg.data]) {
    walkDynamic(r.body, names);
  }
  return names;
}
function walkDynamic(node, names) {
  if (Array.isArray(node)) return node.forEach((n) => walkDynamic(n, names));
  if (!node || typeof node !== "object") return;
  for (const [k, v] of Object.entries(node)) {
    if (k === "dynamic" && v && typeof v === "object") for (const [name, items] of Object.entries(v)) { names.add(name); items.forEach?.((i) => { if (i.iterator) names.add(i.iterator); }); }
    walkDynamic(v, names);
  }
}

/** Splits a reference value like aws_lb_target_group.api."blue".arn into segments. */
const segments = (ref) => ref.match(/"[^"]*"|[^.]+/g) ?? [];

/** Resolves every reference of every expression in the configuration. */
export async function checkReferences(cfg) {
  const errors = [];
  const resources = new Set(cfg.resources.map((r) => `${r.type}.${r.name}`));
  const data = new Set(cfg.data.map((r) => `${r.type}.${r.name}`));
  const dyn = dynamicNames(cfg);
  const typeOf = new Map(cfg.resources.map((r) => [`${r.type}.${r.name}`, r.type]));
  const moduleOutputs = {};
  for (const [name, call] of moduleCalls(cfg)) {
    const d = moduleDir(cfg, call);
    if (existsSync(d)) moduleOutputs[name] = new Set(Object.keys((await loadConfig(d)).outputs));
  }

  for (const [file, json] of Object.entries(cfg.files)) {
    const strings = [];
    walkStrings(json, (s, path) => {
      if (!s.includes("${")) return;
      // type constraints and ignore_changes hold attribute names, not references
      if (path[0] === "variable" && path[3] === "type") return;
      if (path.includes("ignore_changes")) return;
      // provider references (provider = aws.x, providers = { aws = aws.x }) are checked with the module calls
      if ((path[0] === "module" && path[3] === "providers") || path[4] === "provider") return;
      strings.push(s);
    });
    for (const s of strings) {
      let refs;
      try {
        refs = await referencesIn(file, s);
      } catch (e) {
        errors.push(`${rel(file)}: cannot parse expression ${s}: ${e}`);
        continue;
      }
      for (const { value } of refs) {
        const seg = segments(value);
        const [root, a, b] = seg;
        const where = `${rel(file)}: ${value}`;
        if (root === "var") { if (!(a in cfg.variables)) errors.push(`${where}: undeclared variable`); }
        else if (root === "local") { if (!(a in cfg.locals)) errors.push(`${where}: undeclared local`); }
        else if (root === "module") {
          if (!(a in cfg.modules)) errors.push(`${where}: undeclared module`);
          else if (b && moduleOutputs[a] && !moduleOutputs[a].has(b)) errors.push(`${where}: module ${a} has no output ${b}`);
        } else if (root === "data") {
          if (!data.has(`${a}.${b}`)) errors.push(`${where}: undeclared data source`);
          else if (a.startsWith("aws_")) {
            const attr = seg.slice(3).find((x) => !x.startsWith('"') && !/^\d+$/.test(x));
            if (attr && !hasAttribute("data", a, attr)) errors.push(`${where}: data source ${a} has no attribute ${attr}`);
          }
        } else if (BUILTIN_ROOTS.has(root) || dyn.has(root)) {
          // each.*, count.*, self.*, path.*, terraform.*, dynamic block iterators
        } else if (root.includes("_") || typeOf.size && resources.has(`${root}.${a}`)) {
          if (!resources.has(`${root}.${a}`)) errors.push(`${where}: undeclared resource`);
          else if (root.startsWith("aws_")) {
            const attr = seg.slice(2).find((x) => !x.startsWith('"') && !/^\d+$/.test(x));
            if (attr && !hasAttribute("resource", root, attr)) errors.push(`${where}: ${root} has no attribute ${attr}`);
          }
        } else {
          errors.push(`${where}: unknown reference root "${root}"`);
        }
      }
    }
  }
  return errors;
}

const MODULE_META = new Set(["source", "version", "providers", "count", "for_each", "depends_on", "__file", "__count"]);

/** Each module call passes only declared variables and every required one. */
export async function checkModuleCalls(cfg) {
  const errors = [];
  const aliases = new Set(cfg.providers.map((p) => (p.body.alias ? `${p.name}.${p.body.alias}` : p.name)));
  for (const [name, call] of moduleCalls(cfg)) {
    const where = `${cfg.name}: module "${name}"`;
    if (typeof call.source !== "string" || !call.source.startsWith("./")) { errors.push(`${where}: source must be a local path`); continue; }
    const dir = moduleDir(cfg, call);
    if (!existsSync(dir)) { errors.push(`${where}: source ${call.source} does not exist`); continue; }
    const mod = await loadConfig(dir);
    for (const arg of Object.keys(call)) {
      if (MODULE_META.has(arg)) continue;
      if (!(arg in mod.variables)) errors.push(`${where}: passes ${arg}, which ${mod.name} does not declare`);
    }
    for (const [v, decl] of Object.entries(mod.variables)) {
      if (!("default" in decl) && !(v in call)) errors.push(`${where}: required variable ${v} of ${mod.name} is not passed`);
    }
    {
      for (const [k, v] of Object.entries(call.providers ?? {})) {
        const target = String(v).replace(/^\$\{|\}$/g, "");
        if (!aliases.has(target)) errors.push(`${where}: providers maps ${k} to undeclared provider ${target}`);
      }
    }
  }
  return errors;
}

/** Every variable typed and described; every output described; validations complete. */
export function checkDeclarations(cfg) {
  const errors = [];
  for (const [name, v] of Object.entries(cfg.variables)) {
    const where = `${cfg.name}: variable "${name}"`;
    if (v.__count > 1) errors.push(`${where}: declared twice`);
    if (!v.type) errors.push(`${where}: no type`);
    if (typeof v.description !== "string" || v.description.trim().length < 5) errors.push(`${where}: no description`);
    for (const val of v.validation ?? []) {
      if (!val.condition || !val.error_message) errors.push(`${where}: validation without condition or error_message`);
      else if (!String(val.condition).includes(`var.${name}`)) errors.push(`${where}: validation does not test the variable`);
      else if (!/^[A-Z].*[.?!]$/.test(val.error_message)) errors.push(`${where}: error_message must be a sentence`);
    }
  }
  for (const [name, o] of Object.entries(cfg.outputs)) {
    if (typeof o.description !== "string" || o.description.trim().length < 5) errors.push(`${cfg.name}: output "${name}" has no description`);
    if (!("value" in o)) errors.push(`${cfg.name}: output "${name}" has no value`);
  }
  return errors;
}

/** Declared but never used variables, locals and data sources (tflint's terraform_unused_declarations). */
export function checkUnused(cfg) {
  const text = Object.keys(cfg.files).map((f) => JSON.stringify(cfg.files[f])).join("\n");
  const errors = [];
  const used = (re) => re.test(text);
  for (const v of Object.keys(cfg.variables)) if (!used(new RegExp(`var\\.${v}\\b`))) errors.push(`${cfg.name}: variable "${v}" is never used`);
  for (const l of Object.keys(cfg.locals)) if (!used(new RegExp(`local\\.${l}\\b`))) errors.push(`${cfg.name}: local "${l}" is never used`);
  for (const d of cfg.data) if (!used(new RegExp(`data\\.${d.type}\\.${d.name}\\b`))) errors.push(`${cfg.name}: data.${d.type}.${d.name} is never used`);
  return errors;
}
