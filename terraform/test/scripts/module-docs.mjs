#!/usr/bin/env node
// Regenerates the Inputs/Outputs tables of every module README from the module's own
// declarations (between the BEGIN_TF_DOCS/END_TF_DOCS markers). Usage: node scripts/module-docs.mjs [--check]
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig, TF_ROOT } from "../lib/hcl.mjs";

const BEGIN = "<!-- BEGIN_TF_DOCS -->";
const END = "<!-- END_TF_DOCS -->";
const cell = (s) => String(s ?? "").replace(/\|/g, "\\|").replace(/\n/g, " ");
const typeText = (t) => (typeof t === "string" ? t.replace(/^\$\{|\}$/g, "") : JSON.stringify(t));
const defText = (v) => (!("default" in v) ? "required" : "`" + cell(JSON.stringify(v.default)).slice(0, 80) + "`");

export async function renderDocs(dir) {
  const cfg = await loadConfig(dir);
  const lines = [BEGIN, "## Inputs", "", "| Name | Type | Default | Description |", "|---|---|---|---|"];
  for (const [n, v] of Object.entries(cfg.variables).sort()) lines.push(`| \`${n}\` | \`${cell(typeText(v.type))}\` | ${defText(v)} | ${cell(v.description)} |`);
  lines.push("", "## Outputs", "", "| Name | Description |", "|---|---|");
  for (const [n, o] of Object.entries(cfg.outputs).sort()) lines.push(`| \`${n}\` | ${cell(o.description)}${o.sensitive ? " (sensitive)" : ""} |`);
  lines.push(END);
  return lines.join("\n");
}

export function splice(readme, docs) {
  const i = readme.indexOf(BEGIN), j = readme.indexOf(END);
  if (i < 0 || j < 0) return readme.trimEnd() + "\n\n" + docs + "\n";
  return readme.slice(0, i) + docs + readme.slice(j + END.length);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const check = process.argv.includes("--check");
  let stale = 0;
  for (const m of readdirSync(join(TF_ROOT, "modules")).sort()) {
    const path = join(TF_ROOT, "modules", m, "README.md");
    const readme = readFileSync(path, "utf8");
    const next = splice(readme, await renderDocs(join(TF_ROOT, "modules", m)));
    if (next !== readme) {
      stale++;
      if (check) console.error(`modules/${m}/README.md is out of date`);
      else writeFileSync(path, next);
    }
  }
  if (check && stale) process.exit(1);
}
