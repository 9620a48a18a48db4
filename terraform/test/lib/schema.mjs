// Checks resource, data source and provider blocks against the compact schema extracted from
// the pinned AWS provider (schema/aws-provider-schema.json, made by schema/extract.mjs).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { TEST_DIR } from "./hcl.mjs";

export const SCHEMA_PATH = join(TEST_DIR, "schema", "aws-provider-schema.json");
let schema;
export function awsSchema() {
  schema ??= JSON.parse(readFileSync(SCHEMA_PATH, "utf8"));
  return schema;
}

const META = new Set(["count", "for_each", "provider", "depends_on", "lifecycle", "provisioner", "connection"]);
const isExpr = (v) => typeof v === "string" && v.includes("${");

/** Whether a literal HCL value can be converted to the schema type (Terraform's conversion rules). */
function literalFits(code, v) {
  if (v === null || isExpr(v)) return true;
  switch (code) {
    case "s": return ["string", "number", "boolean"].includes(typeof v);
    case "n": return typeof v === "number" || (typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v)));
    case "b": return typeof v === "boolean" || v === "true" || v === "false";
    case "l": return Array.isArray(v);
    case "m": return v !== null && typeof v === "object" && !Array.isArray(v);
    default: return true;
  }
}

/**
 * Validates a parsed block body against a schema block.
 * @returns list of error strings
 */
export function checkBlock(body, block, where, { topLevel = false } = {}) {
  const errors = [];
  for (const [key, value] of Object.entries(body)) {
    if (topLevel && META.has(key)) continue;
    if (key === "dynamic") {
      for (const [name, items] of Object.entries(value)) {
        const nested = block.b?.[name];
        if (!nested) { errors.push(`${where}: dynamic "${name}" is not a nested block of this type`); continue; }
        for (const item of items) {
          for (const k of Object.keys(item)) if (!["for_each", "content", "iterator", "labels"].includes(k)) errors.push(`${where}: dynamic "${name}" has unknown argument ${k}`);
          if (!item.for_each) errors.push(`${where}: dynamic "${name}" has no for_each`);
          for (const c of item.content ?? []) errors.push(...checkBlock(c, nested, `${where}.${name}`));
        }
      }
      continue;
    }
    if (block.a && key in block.a) {
      if (!literalFits(block.a[key], value)) errors.push(`${where}.${key}: literal ${JSON.stringify(value)} does not fit type ${block.a[key]}`);
      continue;
    }
    if (block.b && key in block.b) {
      const nested = block.b[key];
      if (Array.isArray(value)) {
        for (const item of value) {
          if (item && typeof item === "object" && !Array.isArray(item)) errors.push(...checkBlock(item, nested, `${where}.${key}`));
        }
      } else if (value && typeof value === "object") {
        errors.push(...checkBlock(value, nested, `${where}.${key}`));
      }
      continue;
    }
    if (block.c?.includes(key)) errors.push(`${where}: ${key} is a computed (read-only) attribute`);
    else errors.push(`${where}: unknown argument or block "${key}"`);
  }
  return errors;
}

/** Normalised name for comparing snake_case references with the provider's camelCase getters. */
export const norm = (s) => s.replace(/_/g, "").toLowerCase();

/** Whether a resource/data type exposes an attribute (argument, block or computed). */
export function hasAttribute(kind, type, attr) {
  const b = awsSchema()[kind]?.[type];
  if (!b) return false;
  const n = norm(attr);
  const names = [...Object.keys(b.a ?? {}), ...Object.keys(b.b ?? {}), ...(b.c ?? [])];
  return names.some((x) => norm(x) === n || norm(x) === n + "attribute");
}
