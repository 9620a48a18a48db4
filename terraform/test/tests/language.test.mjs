// Terraform-language rules: parsing, labels, references, module calls, declarations.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join, basename } from "node:path";
import { configDirs, tfFiles, rel, parseHcl, loadConfig, TF_ROOT, TEST_DIR, loadTfvars } from "../lib/hcl.mjs";
import { checkLabels, checkReferences, checkModuleCalls, checkDeclarations, checkUnused } from "../lib/language.mjs";
import { awsSchema, checkBlock } from "../lib/schema.mjs";

const FIXTURES = join(TEST_DIR, "fixtures");
const fixture = (name) => ({ path: join(FIXTURES, name), text: readFileSync(join(FIXTURES, name), "utf8") });

test("every .tf file parses with the HCL parser", async () => {
  const files = configDirs().flatMap(tfFiles);
  assert.ok(files.length >= 60, `expected the whole stack, found ${files.length} files`);
  for (const f of files) {
    const json = await parseHcl(f, readFileSync(f, "utf8"));
    assert.equal(typeof json, "object", rel(f));
    assert.ok(Object.keys(json).length > 0, `${rel(f)} parsed to nothing`);
  }
});

for (const name of ["broken-syntax.tf.fixture", "broken-unclosed.tf.fixture", "broken-string.tf.fixture"]) {
  test(`the parser rejects the deliberately broken fixture ${name}`, async () => {
    const { path, text } = fixture(name);
    await assert.rejects(parseHcl(path, text), /parse config|Invalid|Unclosed|Missing|Expected|unterminated/i);
  });
}

test("the label check rejects blocks with missing labels", async () => {
  const { path, text } = fixture("bad-labels.tf.fixture");
  const errors = checkLabels(await parseHcl(path, text), "bad-labels");
  assert.ok(errors.some((e) => e.includes("resource")), errors.join("\n"));
  assert.ok(errors.some((e) => e.includes("variable")), errors.join("\n"));
});

test("the schema check rejects unknown types, arguments, nested arguments and read-only attributes", async () => {
  const { path, text } = fixture("bad-schema.tf.fixture");
  const json = await parseHcl(path, text);
  const s = awsSchema();
  const errors = checkBlock(json.resource.aws_db_instance.bad[0], s.resource.aws_db_instance, "bad", { topLevel: true });
  assert.ok(errors.some((e) => e.includes('"encrypted"')), errors.join("\n"));
  assert.ok(errors.some((e) => e.includes("multi_az")), errors.join("\n"));
  assert.ok(errors.some((e) => e.includes("endpoint is a computed")), errors.join("\n"));
  assert.ok(errors.some((e) => e.includes('"restore_at"')), errors.join("\n"));
  assert.equal(s.resource.aws_made_up_thing, undefined);
});

test("the reference and declaration checks reject what Terraform would reject", async () => {
  const { path, text } = fixture("bad-references.tf.fixture");
  const json = await parseHcl(path, text);
  // build a one-file configuration the same way loadConfig does
  const cfg = { dir: FIXTURES, name: "fixture", files: { [path]: json }, resources: [], data: [], ephemeral: [], variables: {}, locals: {}, outputs: {}, modules: {}, providers: [], terraform: [] };
  for (const [type, byName] of Object.entries(json.resource)) for (const [n, bodies] of Object.entries(byName)) cfg.resources.push({ type, name: n, body: bodies[0], file: path });
  for (const [n, bodies] of Object.entries(json.variable)) cfg.variables[n] = { ...bodies[0], __count: 1 };
  for (const [n, bodies] of Object.entries(json.output)) cfg.outputs[n] = { ...bodies[0], __count: 1 };
  const refErrors = await checkReferences(cfg);
  for (const expected of ["var.undeclared", "local.missing", "aws_s3_bucket.nowhere", "no_such_attribute", "module.ghost"]) {
    assert.ok(refErrors.some((e) => e.includes(expected)), `${expected} not reported:\n${refErrors.join("\n")}`);
  }
  assert.ok(!refErrors.some((e) => e.includes("var.declared")), refErrors.join("\n"));
  const declErrors = checkDeclarations(cfg);
  assert.ok(declErrors.some((e) => e.includes('"undescribed": no type')), declErrors.join("\n"));
  assert.ok(declErrors.some((e) => e.includes('output "untyped" has no description')), declErrors.join("\n"));
});

for (const dir of configDirs()) {
  test(`${rel(dir)}: block labels, references, module calls and declarations`, async () => {
    const cfg = await loadConfig(dir);
    const errors = [...cfg.unknownBlocks.map((u) => `${rel(u.file)}: ${u.kind} ${u.name ?? ""}`)];
    for (const [file, json] of Object.entries(cfg.files)) errors.push(...checkLabels(json, rel(file)));
    errors.push(...(await checkReferences(cfg)));
    errors.push(...(await checkModuleCalls(cfg)));
    errors.push(...checkDeclarations(cfg));
    errors.push(...checkUnused(cfg));
    assert.deepEqual(errors, [], errors.join("\n"));
  });
}

test("every module has main.tf, variables.tf, outputs.tf, versions.tf and a README", () => {
  const mods = readdirSync(join(TF_ROOT, "modules")).sort();
  for (const required of ["vpc", "ecs", "rds", "elasticache", "alb", "cloudfront", "iam", "monitoring", "ecr", "secrets", "dns", "acm", "storage", "budgets", "deployment"]) {
    assert.ok(mods.includes(required), `module ${required} missing`);
  }
  for (const m of mods) {
    for (const f of ["main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"]) {
      assert.ok(existsSync(join(TF_ROOT, "modules", m, f)), `modules/${m}/${f} missing`);
    }
    const readme = readFileSync(join(TF_ROOT, "modules", m, "README.md"), "utf8");
    assert.ok(readme.length > 200, `modules/${m}/README.md is too thin`);
  }
});

test("each module README documents every input and output of its module", async () => {
  for (const m of readdirSync(join(TF_ROOT, "modules"))) {
    const cfg = await loadConfig(join(TF_ROOT, "modules", m));
    const readme = readFileSync(join(TF_ROOT, "modules", m, "README.md"), "utf8");
    for (const name of [...Object.keys(cfg.variables), ...Object.keys(cfg.outputs)]) {
      assert.ok(readme.includes(`\`${name}\``), `modules/${m}/README.md does not mention \`${name}\``);
    }
  }
});

const ENVIRONMENTS = ["development", "staging", "production"];

test("each workspace has a variable file that sets only declared variables and every required one", async () => {
  const root = await loadConfig(TF_ROOT);
  for (const env of ENVIRONMENTS) {
    const path = join(TF_ROOT, "environments", `${env}.tfvars`);
    assert.ok(existsSync(path), `environments/${env}.tfvars missing`);
    const vars = await loadTfvars(path);
    assert.equal(vars.environment, env, `${env}.tfvars must set environment = "${env}"`);
    for (const k of Object.keys(vars)) assert.ok(k in root.variables, `${env}.tfvars sets undeclared variable ${k}`);
    for (const [k, decl] of Object.entries(root.variables)) {
      if (!("default" in decl)) assert.ok(k in vars, `${env}.tfvars misses required variable ${k}`);
    }
  }
});

test("the root configuration refuses to apply one environment's variables in another workspace", async () => {
  const root = await loadConfig(TF_ROOT);
  const guard = root.resources.find((r) => r.type === "terraform_data" && r.name === "workspace_guard");
  assert.ok(guard, "terraform_data.workspace_guard missing");
  const cond = guard.body.lifecycle[0].precondition[0].condition;
  assert.match(cond, /terraform\.workspace\s*==\s*var\.environment/);
});

test("the S3 backend stores each workspace's state encrypted", async () => {
  const root = await loadConfig(TF_ROOT);
  const backend = root.terraform.flatMap((t) => t.body.backend ?? []).map((b) => b.s3).filter(Boolean)[0]?.[0];
  assert.ok(backend, "no s3 backend");
  assert.equal(backend.encrypt, true);
  assert.ok(backend.key && backend.workspace_key_prefix, "key and workspace_key_prefix required");
  const boot = await loadConfig(join(TF_ROOT, "bootstrap"));
  const out = boot.outputs.backend_config.value;
  for (const k of ["bucket", "dynamodb_table", "kms_key_id", "region"]) assert.ok(out.includes(k), `bootstrap backend_config lacks ${k}`);
});
