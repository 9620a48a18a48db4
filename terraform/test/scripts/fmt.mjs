#!/usr/bin/env node
// Checks (default) or fixes (--fix) the formatting rules of lib/fmt.mjs in every .tf and .tfvars file.
import { readFileSync, writeFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { configDirs, tfFiles, rel, TF_ROOT } from "../lib/hcl.mjs";
import { format } from "../lib/fmt.mjs";

const files = [...configDirs().flatMap(tfFiles), ...readdirSync(join(TF_ROOT, "environments")).map((f) => join(TF_ROOT, "environments", f))];
let bad = 0;
for (const f of files) {
  const text = readFileSync(f, "utf8");
  const r = format(text);
  if (r.problems.length) {
    bad++;
    if (process.argv.includes("--fix")) writeFileSync(f, r.text);
    else console.error(`${rel(f)}:\n  ${r.problems.join("\n  ")}`);
  }
}
process.exit(bad && !process.argv.includes("--fix") ? 1 : 0);
