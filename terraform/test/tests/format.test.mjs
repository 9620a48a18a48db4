// The part of `terraform fmt` that can be checked here (the CI workflow runs the real one).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { configDirs, tfFiles, rel, TF_ROOT } from "../lib/hcl.mjs";
import { checkFormat, format } from "../lib/fmt.mjs";

test("every .tf and .tfvars file is formatted (indentation, aligned '=', no trailing spaces)", () => {
  const files = [...configDirs().flatMap(tfFiles), ...readdirSync(join(TF_ROOT, "environments")).map((f) => join(TF_ROOT, "environments", f))];
  const problems = files.flatMap((f) => checkFormat(readFileSync(f, "utf8")).map((p) => `${rel(f)} ${p}`));
  assert.deepEqual(problems, [], problems.join("\n"));
});

test("the format check catches misaligned and misindented code and fixes it like terraform fmt", () => {
  const bad = 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n  force_destroy   = true\n    tags = {}\n  policy = jsonencode({\n    a = 1\n  })\n}\n';
  const r = format(bad);
  assert.ok(r.problems.some((p) => p.includes("not aligned")));
  assert.ok(r.problems.some((p) => p.includes("indentation")));
  assert.equal(r.text, 'resource "aws_s3_bucket" "b" {\n  bucket        = "x"\n  force_destroy = true\n  tags          = {}\n  policy = jsonencode({\n    a = 1\n  })\n}\n');
  assert.deepEqual(checkFormat(r.text), []);
});
