// Every aws_* resource, data source and ephemeral resource, and every argument and nested
// block they use, must exist in the schema of the pinned AWS provider.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadAll, loadConfig, configDirs, rel } from "../lib/hcl.mjs";
import { awsSchema, checkBlock, hasAttribute } from "../lib/schema.mjs";
import { PACKAGE, PACKAGE_VERSION } from "../schema/constants.mjs";

const schema = awsSchema();

test("the committed schema extract is the pinned provider's", () => {
  assert.equal(schema.package, `${PACKAGE}@${PACKAGE_VERSION}`);
  assert.match(schema.provider_version, /^\d+\.\d+\.\d+$/);
  assert.ok(Object.keys(schema.resource).length > 1000, "the extract must hold the whole provider");
  assert.ok(schema.resource.aws_db_instance?.a?.storage_encrypted, "aws_db_instance.storage_encrypted missing from the extract");
});

test("every configuration pins exactly the provider version the schema describes", async () => {
  for (const cfg of await loadAll()) {
    const req = cfg.terraform.flatMap((t) => t.body.required_providers ?? []).map((rp) => rp.aws).filter(Boolean);
    assert.equal(req.length, 1, `${cfg.name}: one required_providers.aws entry expected`);
    assert.equal(req[0].source, "hashicorp/aws", `${cfg.name}: AWS provider source`);
    assert.equal(req[0].version, schema.provider_version, `${cfg.name}: AWS provider must be pinned to ${schema.provider_version}`);
  }
});

for (const dir of configDirs()) {
  test(`${rel(dir)}: resource and data types, arguments and blocks exist in hashicorp/aws ${schema.provider_version}`, async () => {
    const cfg = await loadConfig(dir);
    const errors = [];
    let checked = 0;
    for (const [list, kind] of [[cfg.resources, "resource"], [cfg.data, "data"], [cfg.ephemeral, "ephemeral"]]) {
      for (const r of list) {
        if (!r.type.startsWith("aws_")) continue;
        const block = schema[kind][r.type];
        if (!block) { errors.push(`${rel(r.file)}: ${kind} type ${r.type} does not exist`); continue; }
        errors.push(...checkBlock(r.body, block, `${rel(r.file)}: ${r.address}`, { topLevel: true }));
        checked++;
      }
    }
    for (const p of cfg.providers) {
      if (p.name !== "aws") continue;
      const { alias, ...body } = p.body;
      errors.push(...checkBlock(body, schema.provider, `${rel(p.file)}: provider aws`, { topLevel: false }));
    }
    assert.deepEqual(errors, [], errors.join("\n"));
    assert.ok(checked > 0 || cfg.resources.length + cfg.data.length === 0);
  });
}

test("the schema checker rejects what Terraform would reject", () => {
  const db = schema.resource.aws_db_instance;
  assert.deepEqual(checkBlock({ instance_class: "db.t3.micro", storage_encrypted: true }, db, "ok", { topLevel: true }), []);
  assert.equal(checkBlock({ encrypted: true }, db, "x", { topLevel: true }).length, 1, "unknown argument");
  assert.equal(checkBlock({ endpoint: "x" }, db, "x", { topLevel: true }).length, 1, "computed attribute");
  assert.equal(checkBlock({ multi_az: "yes" }, db, "x", { topLevel: true }).length, 1, "wrong literal type");
  assert.equal(checkBlock({ restore_to_point_in_time: [{ bogus: 1 }] }, db, "x", { topLevel: true }).length, 1, "unknown nested argument");
  assert.equal(checkBlock({ dynamic: { nope: [{ for_each: "${var.x}", content: [{}] }] } }, db, "x", { topLevel: true }).length, 1, "unknown dynamic block");
  assert.deepEqual(checkBlock({ count: 1, lifecycle: [{}], depends_on: [] }, db, "meta", { topLevel: true }), []);
  assert.ok(hasAttribute("resource", "aws_db_instance", "address"));
  assert.ok(!hasAttribute("resource", "aws_db_instance", "hostname"));
});
