#!/usr/bin/env node
// Extracts a compact schema of the pinned AWS provider from the jsii manifest of the
// prebuilt CDK Terrain bindings (@cdktn/provider-aws), which describe every resource,
// data source, argument and nested block of one exact hashicorp/aws release.
//
// Output (aws-provider-schema.json):
//   { provider_version, package, provider: <block>, resource|data|ephemeral: {type: <block>} }
//   <block> = { a: {argument: typecode}, b: {nested_block: <block>}, c: [computed attribute] }
//   typecodes: s string, n number, b bool, l list/set, m map, a any/dynamic
//
// Usage: node extract.mjs [path/to/unpacked/@cdktn/provider-aws]
// Without a path it fetches the pinned package with `npm pack` into a temporary directory.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

import { PACKAGE, PACKAGE_VERSION } from "./constants.mjs";

const here = dirname(fileURLToPath(import.meta.url));
let pkgDir = process.argv[2];
let tmp;
if (!pkgDir) {
  tmp = mkdtempSync(join(tmpdir(), "provider-aws-"));
  console.error(`fetching ${PACKAGE}@${PACKAGE_VERSION} ...`);
  const out = execFileSync("npm", ["pack", `${PACKAGE}@${PACKAGE_VERSION}`, "--silent"], { cwd: tmp, encoding: "utf8" }).trim().split("\n").pop();
  execFileSync("tar", ["xzf", out], { cwd: tmp });
  pkgDir = join(tmp, "package");
}
const jsiiPath = join(pkgDir, ".jsii");
if (!existsSync(jsiiPath)) throw new Error(`no .jsii manifest in ${pkgDir}`);
const jsii = JSON.parse(readFileSync(jsiiPath, "utf8"));
if (jsii.version !== PACKAGE_VERSION) throw new Error(`expected ${PACKAGE}@${PACKAGE_VERSION}, found ${jsii.version}`);
const types = jsii.types;

const camelToSnake = (s) => s.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());
const anchorName = (prop) => {
  const m = /#([a-z0-9_]+) [A-Za-z0-9]+#/.exec(prop.docs?.summary ?? "");
  return m ? m[1] : camelToSnake(prop.name);
};

function classify(type) {
  if (type.primitive) return { code: { string: "s", number: "n", boolean: "b", any: "a", json: "a", date: "s" }[type.primitive] ?? "a" };
  if (type.collection) {
    const el = type.collection.elementtype;
    if (el.fqn && isStruct(el.fqn)) return { block: el.fqn };
    return { code: type.collection.kind === "map" ? "m" : "l" };
  }
  if (type.union) {
    const parts = type.union.types.map(classify);
    const blk = parts.find((p) => p.block);
    if (blk) return blk;
    const codes = parts.map((p) => p.code).filter((c) => c && c !== "a");
    return { code: codes.length ? codes[0] : "a" };
  }
  if (type.fqn) {
    if (isStruct(type.fqn)) return { block: type.fqn };
    return { code: "a" };
  }
  return { code: "a" };
}
function isStruct(fqn) {
  const t = types[fqn];
  return !!(t && t.kind === "interface" && t.datatype && fqn.startsWith(PACKAGE + "."));
}

function structProps(fqn, seen = new Set()) {
  const t = types[fqn];
  let props = [...(t.properties ?? [])];
  for (const parent of t.interfaces ?? []) {
    if (parent.startsWith(PACKAGE + ".") && !seen.has(parent)) { seen.add(parent); props = props.concat(structProps(parent, seen)); }
  }
  return props;
}

function block(fqn, depth = 0) {
  const out = { a: {}, b: {} };
  if (depth > 12) return out;
  for (const p of structProps(fqn)) {
    const name = anchorName(p);
    const k = classify(p.type);
    if (k.block) out.b[name] = block(k.block, depth + 1);
    else out.a[name] = k.code;
  }
  if (!Object.keys(out.b).length) delete out.b;
  return out;
}

const schema = { provider_version: null, package: `${PACKAGE}@${PACKAGE_VERSION}`, provider: null, resource: {}, data: {}, ephemeral: {} };
for (const [fqn, t] of Object.entries(types)) {
  if (t.kind !== "class") continue;
  if (!(t.properties ?? []).some((p) => p.static && p.name === "tfResourceType")) continue;
  const m = /providers\/hashicorp\/aws\/([0-9.]+)\/docs(?:\/([a-z-]+)\/[a-z0-9_]+)? (aws[a-z0-9_]*)\}/.exec(t.docs?.summary ?? "");
  if (!m) throw new Error(`cannot read the Terraform type of ${fqn}: ${t.docs?.summary}`);
  const [, version, kind, tfType] = m;
  schema.provider_version ??= version;
  if (version !== schema.provider_version) throw new Error(`mixed provider versions: ${version}`);
  const cfg = t.initializer?.parameters?.[2]?.type?.fqn;
  if (!cfg) throw new Error(`no config struct for ${fqn}`);
  const b = block(cfg);
  const args = new Set(Object.keys(b.a).concat(Object.keys(b.b ?? {})));
  const computed = (t.properties ?? [])
    .filter((p) => !p.static && !p.name.endsWith("Input") && !p.protected)
    .map((p) => camelToSnake(p.name))
    .filter((n) => !args.has(n) && !["fqn", "friendly_unique_id", "terraform_resource_type", "terraform_meta_arguments", "terraform_generator_metadata", "node", "cdktf_stack", "raw_overrides", "construct_node_metadata"].includes(n));
  if (computed.length) b.c = computed.sort();
  if (!kind) schema.provider = b;
  else if (kind === "resources") schema.resource[tfType] = b;
  else if (kind === "data-sources") schema.data[tfType] = b;
  else if (kind === "ephemeral-resources") schema.ephemeral[tfType] = b;
  else throw new Error(`unknown kind ${kind} for ${fqn}`);
}
const sortObj = (o) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
schema.resource = sortObj(schema.resource);
schema.data = sortObj(schema.data);
schema.ephemeral = sortObj(schema.ephemeral);
const outPath = join(here, "aws-provider-schema.json");
// one resource per line keeps diffs between provider versions readable
const lines = ["{", `"provider_version": ${JSON.stringify(schema.provider_version)},`, `"package": ${JSON.stringify(schema.package)},`, `"provider": ${JSON.stringify(schema.provider)},`];
for (const kind of ["resource", "data", "ephemeral"]) {
  const entries = Object.entries(schema[kind]).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  lines.push(`${JSON.stringify(kind)}: {`, entries.join(",\n"), kind === "ephemeral" ? "}" : "},");
}
lines.push("}");
writeFileSync(outPath, lines.join("\n") + "\n");
console.error(`hashicorp/aws ${schema.provider_version}: ${Object.keys(schema.resource).length} resources, ${Object.keys(schema.data).length} data sources, ${Object.keys(schema.ephemeral).length} ephemeral resources -> ${outPath}`);
if (tmp) rmSync(tmp, { recursive: true, force: true });
