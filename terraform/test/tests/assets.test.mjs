// Story assets: the storage bucket serves /assets/stories/* through CloudFront's origin access
// control, the task role reaches only the assets prefixes, and erased assets leave within days.
import { test } from "node:test";
import assert from "node:assert/strict";
import { stack } from "../lib/eval.mjs";

const prod = await stack("production");
const dev = await stack("development");
const block = (node, name) => node?.[name]?.[0];

for (const s of [dev, prod]) {
  test(`${s.env}: CloudFront serves /assets/stories/* from the bucket through an origin access control, before /assets/*`, () => {
    const cf = s.modules.cloudfront;
    const d = cf.one("aws_cloudfront_distribution");
    const oac = cf.one("aws_cloudfront_origin_access_control", "assets");
    assert.equal(oac.body.origin_access_control_origin_type, "s3");
    assert.equal(oac.body.signing_behavior, "always");
    assert.equal(oac.body.signing_protocol, "sigv4");
    const s3Origin = d.body.origin.find((o) => /aws_cloudfront_origin_access_control\.assets/.test(o.origin_access_control_id ?? ""));
    assert.ok(s3Origin, "an origin signed by the origin access control");
    assert.equal(s3Origin.custom_origin_config, undefined, "the bucket is an S3 origin, not a public website");
    const paths = d.body.ordered_cache_behavior.map((b) => b.path_pattern);
    assert.ok(paths.indexOf("/assets/stories/*") >= 0, "a /assets/stories/* behaviour");
    assert.ok(paths.indexOf("/assets/stories/*") < paths.indexOf("/assets/*"), "listed before /assets/*, so it wins");
    const stories = d.body.ordered_cache_behavior.find((b) => b.path_pattern === "/assets/stories/*");
    assert.equal(stories.target_origin_id, s3Origin.origin_id, "served by the bucket origin");
    assert.deepEqual(stories.allowed_methods, ["GET", "HEAD"]);
    assert.match(stories.cache_policy_id, /aws_cloudfront_cache_policy\.assets/);
    assert.equal(cf.eval(cf.one("aws_cloudfront_cache_policy", "assets").body.default_ttl), 31536000);
  });

  test(`${s.env}: the bucket policy lets only this distribution read, and only assets/*`, () => {
    const st = s.modules.storage;
    const doc = st.cfg.data.find((d) => d.type === "aws_iam_policy_document" && d.name === "cloudfront_assets");
    assert.ok(doc, "a CloudFront statement");
    const [allow] = doc.body.statement;
    assert.equal(allow.effect, "Allow");
    assert.deepEqual(allow.actions, ["s3:GetObject"]);
    assert.deepEqual(allow.resources, ["${aws_s3_bucket.this.arn}/assets/*"]);
    assert.deepEqual(allow.principals[0].identifiers, ["cloudfront.amazonaws.com"]);
    const cond = allow.condition[0];
    assert.equal(cond.variable, "AWS:SourceArn");
    assert.deepEqual(cond.values, ["${var.cloudfront_distribution_arn}"]);
    const merged = st.cfg.data.find((d) => d.type === "aws_iam_policy_document" && d.name === "bucket");
    assert.equal(merged.body.source_policy_documents.length, 2, "TLS-only deny kept beside the CloudFront grant");
    assert.match(st.one("aws_s3_bucket_policy").body.policy, /aws_iam_policy_document\.bucket\.json/);
    assert.equal(st.args.cloudfront_distribution_arn, "${module.cloudfront.distribution_arn}", "the stack's own distribution");
    assert.equal(s.modules.cloudfront.args.assets_bucket_regional_domain_name, "${module.storage.bucket_regional_domain_name}");
  });

  test(`${s.env}: erased story assets and their index leave within days; files move to Intelligent-Tiering`, () => {
    const st = s.modules.storage;
    const rules = st.one("aws_s3_bucket_lifecycle_configuration").body.rule;
    for (const prefix of ["assets/", "asset-index/"]) {
      const r = rules.find((x) => block(x, "filter")?.prefix === prefix && block(x, "noncurrent_version_expiration"));
      assert.ok(r, `a rule for ${prefix}`);
      assert.equal(r.status, "Enabled");
      const days = st.eval(block(r, "noncurrent_version_expiration").noncurrent_days);
      assert.ok(days >= 1 && days <= 7, `${prefix}: deleted versions kept ${days} days`);
      assert.equal(block(r, "expiration").expired_object_delete_marker, true);
    }
    const tiering = rules.find((x) => block(x, "filter")?.prefix === "assets/stories/");
    assert.equal(block(tiering, "transition").storage_class, "INTELLIGENT_TIERING");
  });

  test(`${s.env}: the task role reads and writes only the assets prefixes of the bucket`, () => {
    const iam = s.modules.iam;
    const task = iam.cfg.data.find((d) => d.name === "task").body.statement;
    const objects = task.filter((st) => (st.actions ?? []).some((a) => /^s3:(Get|Put|Delete)Object$/.test(a)));
    assert.ok(objects.length > 0);
    for (const st of objects) {
      for (const r of st.resources) {
        assert.match(r, /^\$\{var\.storage_bucket_arn\}\/(assets|asset-index)\/\*$/, `object access limited: ${r}`);
      }
    }
    const list = task.find((st) => (st.actions ?? []).includes("s3:ListBucket"));
    const prefixes = list.condition.find((c) => c.variable === "s3:prefix");
    assert.equal(prefixes.test, "StringLike");
    assert.deepEqual(prefixes.values, ["assets/*", "asset-index/*"]);
  });
}
