// The delivery pipelines wire the pieces together as StoryMagic's specification describes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../lib/hcl.mjs";

const read = (p) => readFileSync(join(REPO_ROOT, p), "utf8");

test("ci.yml: build, unit and integration tests with PostgreSQL 15 and Redis 7, e2e, lint, JMH quick, Terraform checks", () => {
  const ci = read(".github/workflows/ci.yml");
  assert.match(ci, /^on:\n  pull_request:/m);
  for (const needle of ["image: postgres:15", "image: redis:7", "mvn $MAVEN_ARGS test", "mvn $MAVEN_ARGS verify", "bash benchmarks/run.sh quick", "bash terraform/test/run.sh",
    "terraform fmt -check -recursive", "terraform -chdir=\"$dir\" validate", "tflint --recursive", "-Pimage-docker -Dstorymagic.image=storymagic-api:e2e", "/health/live", "failOnWarning=true"]) {
    assert.ok(ci.includes(needle), `ci.yml lacks ${needle}`);
  }
  assert.ok(!/\t/.test(ci), "YAML must not contain tabs");
});

test("deploy.yml: tests, SHA-tagged image built by Jib on a digest-pinned base, its ahead-of-time cache added, pushed to ECR, progressive deploy, never cancelled", () => {
  const d = read(".github/workflows/deploy.yml");
  assert.match(d, /push:\n    branches: \[main\]/);
  assert.match(d, /uses: \.\/\.github\/workflows\/ci\.yml/);
  assert.ok(d.includes("mvn -B -ntp -pl reference-server -am package -DskipTests"));
  assert.ok(d.includes("-Pimage-docker") && d.includes("-Dstorymagic.image=\"storymagic-api:untrained-$GITHUB_SHA\""), "Jib builds the application's image");
  assert.ok(d.includes("bash reference-server/image/add-aot-cache.sh \"storymagic-api:untrained-$GITHUB_SHA\" \"$IMAGE\""), "the cache is trained on that very image");
  assert.ok(d.indexOf("add-aot-cache.sh") < d.indexOf("docker push \"$IMAGE\""), "the image with its cache is what is pushed");
  assert.ok(!/docker build /.test(d), "no Dockerfile build of the application in the workflow");
  // The only Dockerfile adds the cache to Jib's image: one layer and the entrypoint, nothing built.
  const dockerfile = read("reference-server/image/aot/Dockerfile").split("\n").filter((l) => l && !l.startsWith("#"));
  assert.deepEqual(dockerfile.map((l) => l.split(" ")[0]), ["ARG", "FROM", "COPY", "ENTRYPOINT"]);
  assert.match(d, /storymagic\.image\.base="\$BASE_IMAGE"/, "the base image is pinned to the digest resolved for this deploy");
  assert.match(d, /eclipse-temurin:25-jre@\$digest/);
  assert.ok(d.includes(":${{ github.sha }}"), "image tagged with the commit SHA");
  assert.ok(d.includes("id-token: write") && d.includes("role-to-assume"), "OIDC, no stored keys");
  assert.ok(!/aws-access-key-id|aws-secret-access-key/.test(d), "no long-lived AWS keys");
  assert.match(d, /cancel-in-progress: false/);
  assert.ok(d.includes("node deploy/ecs-progressive-deploy.mjs --environment \"$ENVIRONMENT\" --image \"$IMAGE\""));
  assert.ok(d.includes("--rollback"));
  assert.ok(existsSync(join(REPO_ROOT, "deploy", "ecs-progressive-deploy.mjs")));
  assert.ok(!/\t/.test(d));
});

test("tflint runs with the AWS ruleset on every local module", () => {
  const t = read("terraform/.tflint.hcl");
  assert.match(t, /plugin "aws"/);
  assert.match(t, /call_module_type = "local"/);
});

test("terraform/README.md has the order of operations, the rollback runbook and the DR procedure with commands", () => {
  const r = read("terraform/README.md");
  for (const h of ["## Order of operations", "### 1. Bootstrap the state backend", "### 2. Initialise and select a workspace", "### 3. Plan and apply", "## Rollback runbook", "## Disaster recovery (RTO 4 h, RPO 1 h)"]) {
    assert.ok(r.includes(h), `README lacks ${h}`);
  }
  for (const cmd of ["terraform init -backend-config=backend.hcl", "terraform workspace select production", "terraform plan  -var-file=environments/production.tfvars", "terraform apply production.tfplan",
    "node deploy/ecs-progressive-deploy.mjs --environment production --rollback", "aws rds restore-db-instance-to-point-in-time"]) {
    assert.ok(r.includes(cmd), `README lacks the command ${cmd}`);
  }
  // every module named in the tree exists
  for (const m of r.matchAll(/^│   [├└]── ([a-z]+)\//gm)) assert.ok(existsSync(join(REPO_ROOT, "terraform", "modules", m[1])), `README names missing module ${m[1]}`);
});
