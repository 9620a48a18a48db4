// Security and deployment policies, evaluated per environment through module calls and .tfvars.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadAll, loadConfig, TF_ROOT, walkStrings } from "../lib/hcl.mjs";
import { stack, UNKNOWN } from "../lib/eval.mjs";
import { awsSchema } from "../lib/schema.mjs";

const prod = await stack("production");
const dev = await stack("development");
const staging = await stack("staging");
const ENVS = [dev, staging, prod];
const m = (s, name) => s.modules[name];
const block = (node, name) => node?.[name]?.[0];
const ev = (ctx, v) => ctx.eval(v);
const EU27 = ["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"];

test("RDS: encrypted with a KMS key, never public, PostgreSQL 15 with StoryMagic's storage", () => {
  for (const s of ENVS) {
    const rds = m(s, "rds"), db = rds.one("aws_db_instance");
    assert.equal(ev(rds, db.body.storage_encrypted), true, `${s.env}: storage_encrypted`);
    assert.match(db.body.kms_key_id, /aws_kms_key\./, `${s.env}: customer-managed KMS key`);
    assert.equal(ev(rds, db.body.publicly_accessible), false, `${s.env}: publicly_accessible`);
    assert.equal(ev(rds, db.body.engine), "postgres");
    assert.match(String(ev(rds, db.body.engine_version)), /^15/);
    assert.equal(ev(rds, db.body.allocated_storage), 100);
    assert.equal(ev(rds, db.body.max_allocated_storage), 1000);
    assert.equal(ev(rds, db.body.storage_type), "gp2");
  }
});

test("RDS: production is db.t3.medium, Multi-AZ and deletion-protected; development db.t3.micro single-AZ", () => {
  const p = m(prod, "rds"), pdb = p.one("aws_db_instance");
  assert.equal(ev(p, pdb.body.instance_class), "db.t3.medium");
  assert.equal(ev(p, pdb.body.multi_az), true);
  assert.equal(ev(p, pdb.body.deletion_protection), true);
  assert.equal(ev(p, pdb.body.skip_final_snapshot), false);
  const d = m(dev, "rds"), ddb = d.one("aws_db_instance");
  assert.equal(ev(d, ddb.body.instance_class), "db.t3.micro");
  assert.equal(ev(d, ddb.body.multi_az), false);
});

test("RDS: backups kept at least 7 days in 03:00-04:00 UTC, maintenance Sun 04:00-05:00", () => {
  for (const s of ENVS) {
    const rds = m(s, "rds"), db = rds.one("aws_db_instance");
    assert.ok(ev(rds, db.body.backup_retention_period) >= 7, `${s.env}: backup retention`);
    assert.equal(ev(rds, db.body.backup_window), "03:00-04:00");
    assert.equal(ev(rds, db.body.maintenance_window), "sun:04:00-sun:05:00");
  }
  assert.equal(ev(m(prod, "rds"), m(prod, "rds").one("aws_db_instance").body.backup_retention_period), 7);
});

test("RDS: custom PostgreSQL 15 parameter group with pg_stat_statements, max_connections 200, work_mem 16MB", () => {
  const rds = m(prod, "rds"), pg = rds.one("aws_db_parameter_group");
  assert.equal(ev(rds, pg.body.family), "postgres15");
  const params = Object.fromEntries(pg.body.parameter.map((p) => [p.name, ev(rds, p.value)]));
  assert.match(String(params.shared_preload_libraries), /pg_stat_statements/);
  assert.equal(Number(params.max_connections), 200);
  assert.equal(Number(params.work_mem), 16384, "work_mem is in kB: 16 MB");
  assert.match(rds.one("aws_db_instance").body.parameter_group_name, /aws_db_parameter_group\./);
});

test("ElastiCache: Redis 7 cache.t3.micro, encrypted in transit and at rest, allkeys-lru / timeout 0 / tcp-keepalive 300", () => {
  for (const s of ENVS) {
    const ec = m(s, "elasticache"), rg = ec.one("aws_elasticache_replication_group");
    assert.equal(String(ev(ec, rg.body.at_rest_encryption_enabled)), "true", `${s.env}: at rest`);
    assert.equal(ev(ec, rg.body.transit_encryption_enabled), true, `${s.env}: in transit`);
    assert.equal(ev(ec, rg.body.engine), "redis");
    assert.match(ev(ec, rg.body.engine_version), /^7\./);
    assert.equal(ev(ec, rg.body.node_type), "cache.t3.micro");
    const pg = ec.one("aws_elasticache_parameter_group");
    assert.equal(ev(ec, pg.body.family), "redis7");
    const params = Object.fromEntries(pg.body.parameter.map((p) => [p.name, String(ev(ec, p.value))]));
    assert.deepEqual(params, { "maxmemory-policy": "allkeys-lru", timeout: "0", "tcp-keepalive": "300" });
  }
  assert.equal(prod.tfvars.redis_num_cache_clusters > 1, true, "production has a replica for failover");
  assert.equal(dev.tfvars.redis_num_cache_clusters, 1, "development: one node, single AZ");
});

test("ALB: internet-facing IPv4, drops invalid headers, HTTP redirects to HTTPS, TLS 1.2+ policy with the ACM certificate", () => {
  const alb = m(prod, "alb"), lb = alb.one("aws_lb");
  assert.match(lb.body.name, /-alb$/);
  assert.equal(lb.body.internal, false);
  assert.equal(lb.body.ip_address_type, "ipv4");
  assert.equal(lb.body.drop_invalid_header_fields, true);
  assert.equal(ev(alb, lb.body.enable_deletion_protection), true);
  const http = alb.one("aws_lb_listener", "http"), https = alb.one("aws_lb_listener", "https");
  assert.equal(http.body.port, 80);
  const redirect = block(block(http.body, "default_action"), "redirect");
  assert.equal(block(http.body, "default_action").type, "redirect");
  assert.equal(redirect.protocol, "HTTPS");
  assert.equal(redirect.status_code, "HTTP_301");
  assert.equal(https.body.port, 443);
  assert.equal(https.body.protocol, "HTTPS");
  assert.match(ev(alb, https.body.ssl_policy), /^ELBSecurityPolicy-(TLS13-1-2|TLS-1-2|FS-1-2)/);
  assert.equal(https.body.certificate_arn, "${var.certificate_arn}");
  assert.match(prod.root.cfg.modules.alb.certificate_arn, /module\.acm_alb\.certificate_arn/);
});

test("ALB target groups: HTTP 3000, /health every 30 s, healthy 2, unhealthy 3, timeout 5 s", () => {
  const alb = m(prod, "alb"), tg = alb.one("aws_lb_target_group");
  assert.equal(tg.body.protocol, "HTTP");
  assert.equal(ev(alb, tg.body.port), 3000);
  const hc = block(tg.body, "health_check");
  assert.deepEqual(
    { path: ev(alb, hc.path), interval: ev(alb, hc.interval), healthy: ev(alb, hc.healthy_threshold), unhealthy: ev(alb, hc.unhealthy_threshold), timeout: ev(alb, hc.timeout) },
    { path: "/health", interval: 30, healthy: 2, unhealthy: 3, timeout: 5 },
  );
  assert.match(tg.body.for_each, /colors/);
  assert.deepEqual(alb.cfg.locals.colors, '${toset(["blue", "green"])}');
});

test("ALB target groups ramp a newly healthy task up to its share over 120 s (slow start, round robin)", () => {
  for (const s of ENVS) {
    const alb = m(s, "alb"), tg = alb.one("aws_lb_target_group");
    assert.equal(ev(alb, tg.body.slow_start), 120, `${s.env}: slow_start`);
    // Slow start works with round robin only (the default); least outstanding requests refuses it.
    assert.ok([undefined, "round_robin"].includes(tg.body.load_balancing_algorithm_type), `${s.env}: algorithm`);
  }
});

test("CloudFront: HTTPS only, TLSv1.2_2021, HTTP/2, us-east-1 certificate, EU whitelist", async () => {
  const cf = m(prod, "cloudfront"), d = cf.one("aws_cloudfront_distribution");
  const behaviours = [...d.body.ordered_cache_behavior, ...d.body.default_cache_behavior];
  for (const b of behaviours) assert.ok(["redirect-to-https", "https-only"].includes(b.viewer_protocol_policy), `${b.path_pattern ?? "default"}: viewer protocol`);
  const vc = block(d.body, "viewer_certificate");
  assert.equal(ev(cf, vc.minimum_protocol_version), "TLSv1.2_2021");
  assert.equal(vc.ssl_support_method, "sni-only");
  assert.equal(ev(cf, d.body.http_version), "http2");
  const geo = block(block(d.body, "restrictions"), "geo_restriction");
  assert.equal(geo.restriction_type, "whitelist");
  assert.deepEqual([...ev(cf, geo.locations)].sort(), EU27);
  const origin = block(block(d.body, "origin"), "custom_origin_config");
  assert.equal(origin.origin_protocol_policy, "https-only");
  assert.deepEqual(origin.origin_ssl_protocols, ["TLSv1.2"]);
  // the certificate comes from the acm module instantiated with the us-east-1 provider alias
  const root = prod.root.cfg;
  assert.match(root.modules.cloudfront.certificate_arn, /module\.acm_cloudfront\./);
  assert.deepEqual(root.modules.acm_cloudfront.providers, { aws: "${aws.us_east_1}" });
  const alias = root.providers.find((p) => p.body.alias === "us_east_1");
  assert.equal(alias?.body.region, "us-east-1");
});

test("CloudFront: /api/* forwards everything uncached, /assets/* cached a year, default an hour", () => {
  const cf = m(prod, "cloudfront"), d = cf.one("aws_cloudfront_distribution");
  const byPath = Object.fromEntries(d.body.ordered_cache_behavior.map((b) => [b.path_pattern, b]));
  const api = byPath["/api/*"];
  assert.ok(api, "/api/* behaviour");
  assert.deepEqual([api.min_ttl, api.default_ttl, api.max_ttl], [0, 0, 0]);
  const fv = block(api, "forwarded_values");
  assert.deepEqual(fv.headers, ["*"]);
  assert.equal(fv.query_string, true);
  assert.equal(block(fv, "cookies").forward, "all");
  assert.equal(api.allowed_methods.length, 7);
  const assets = byPath["/assets/*"];
  assert.match(assets.cache_policy_id, /aws_cloudfront_cache_policy\.assets/);
  const ap = cf.one("aws_cloudfront_cache_policy", "assets");
  assert.equal(ev(cf, ap.body.default_ttl), 31536000);
  const def = block(d.body, "default_cache_behavior");
  assert.match(def.cache_policy_id, /aws_cloudfront_cache_policy\.default/);
  assert.equal(ev(cf, cf.one("aws_cloudfront_cache_policy", "default").body.default_ttl), 3600);
});

/** Every ingress rule of every configuration: [where, cidr, from, to]. */
async function ingressRules() {
  const out = [];
  for (const cfg of await loadAll()) {
    for (const r of cfg.resources) {
      if (r.type === "aws_vpc_security_group_ingress_rule") out.push({ where: `${cfg.name}:${r.name}`, cidr: r.body.cidr_ipv4 ?? r.body.cidr_ipv6, from: r.body.from_port, to: r.body.to_port, src: r.body.referenced_security_group_id, sg: r.body.security_group_id });
      if (r.type === "aws_security_group_rule" && r.body.type === "ingress") out.push({ where: `${cfg.name}:${r.name}`, cidr: (r.body.cidr_blocks ?? []).join(","), from: r.body.from_port, to: r.body.to_port });
      if (r.type === "aws_security_group") for (const i of r.body.ingress ?? []) out.push({ where: `${cfg.name}:${r.name}(inline)`, cidr: (i.cidr_blocks ?? []).join(","), from: i.from_port, to: i.to_port });
    }
  }
  return out;
}

test("no ingress from 0.0.0.0/0 or ::/0 except the ALB's 80 and 443", async () => {
  const open = (await ingressRules()).filter((r) => /0\.0\.0\.0\/0|::\/0/.test(String(r.cidr)));
  for (const r of open) {
    assert.match(r.sg, /aws_security_group\.alb\.id/, `${r.where}: open ingress outside the ALB`);
    assert.ok([80, 443].includes(r.from) && r.from === r.to, `${r.where}: open ingress on ${r.from}-${r.to}`);
  }
  assert.equal(open.length, 2, "exactly ALB 80 and 443 are open");
});

test("security groups exactly as specified: ECS 3000 from ALB, RDS 5432 and Redis 6379 from ECS, egress as listed", async () => {
  const vpc = await loadConfig(join(TF_ROOT, "modules", "vpc"));
  const rules = (type) => vpc.resources.filter((r) => r.type === type).map((r) => ({ name: r.name, ...r.body }));
  const vars = m(prod, "vpc");
  const num = (v) => ev(vars, v);
  const ingress = rules("aws_vpc_security_group_ingress_rule");
  const egress = rules("aws_vpc_security_group_egress_rule");
  const of = (list, sg) => list.filter((r) => r.security_group_id === `\${aws_security_group.${sg}.id}`).map((r) => `${num(r.from_port) ?? "all"}:${r.cidr_ipv4 ?? r.referenced_security_group_id.replace(/\$\{aws_security_group\.(\w+)\.id\}/, "$1")}`).sort();
  assert.deepEqual(of(ingress, "alb"), ["443:0.0.0.0/0", "80:0.0.0.0/0"]);
  assert.deepEqual(of(egress, "alb"), ["all:0.0.0.0/0"]);
  assert.deepEqual(of(ingress, "ecs"), ["3000:alb"]);
  assert.deepEqual(of(egress, "ecs"), ["443:0.0.0.0/0", "5432:rds", "6379:redis"]);
  assert.deepEqual(of(ingress, "rds"), ["5432:ecs", "5432:rotation"]);
  assert.deepEqual(of(egress, "rds"), []);
  assert.deepEqual(of(ingress, "redis"), ["6379:ecs"]);
  assert.deepEqual(of(egress, "redis"), []);
  for (const sg of vpc.resources.filter((r) => r.type === "aws_security_group")) {
    assert.ok(!sg.body.ingress && !sg.body.egress, `${sg.name}: rules must be separate resources`);
  }
  const def = vpc.resources.find((r) => r.type === "aws_default_security_group");
  assert.ok(def && !def.body.ingress && !def.body.egress, "the default security group is emptied");
});

test("private subnets use a custom restricted NACL; public subnets the default", async () => {
  const vpc = m(prod, "vpc");
  const nacl = vpc.one("aws_network_acl", "private");
  assert.match(nacl.body.subnet_ids, /aws_subnet\.app.*aws_subnet\.data/);
  const rules = vpc.resources("aws_network_acl_rule");
  assert.ok(rules.length >= 6);
  for (const r of rules) {
    assert.equal(r.body.rule_action, "allow");
    assert.notEqual(r.body.protocol, "-1", `${r.name}: no all-protocol rule`);
    if (r.body.cidr_block === "0.0.0.0/0") {
      const ok = r.body.egress ? r.body.from_port === 443 && r.body.to_port === 443 : r.body.from_port === 1024 && r.body.to_port === 65535;
      assert.ok(ok, `${r.name}: internet traffic limited to HTTPS out and return traffic in`);
    }
  }
  assert.ok(!vpc.resources("aws_network_acl").some((n) => String(n.body.subnet_ids).includes("public")));
});

test("VPC 10.0.0.0/16 with StoryMagic's subnets and a NAT gateway", () => {
  const vpc = m(prod, "vpc");
  assert.equal(ev(vpc, vpc.one("aws_vpc").body.cidr_block), "10.0.0.0/16");
  assert.equal(ev(vpc, "${var.public_subnet_cidrs}")[0], "10.0.1.0/24");
  assert.equal(ev(vpc, "${var.app_subnet_cidrs}")[0], "10.0.2.0/24");
  assert.equal(ev(vpc, "${var.data_subnet_cidrs}")[0], "10.0.3.0/24");
  assert.ok(vpc.one("aws_nat_gateway"));
  assert.match(vpc.one("aws_nat_gateway").body.subnet_id, /aws_subnet\.public/);
  assert.equal(vpc.one("aws_vpc_endpoint", "s3").body.vpc_endpoint_type, "Gateway");
});

test("state backend: bucket versioned, KMS-encrypted, public access blocked, TLS only; lock table with PITR", async () => {
  const boot = await loadConfig(join(TF_ROOT, "bootstrap"));
  const one = (t) => boot.resources.filter((r) => r.type === t);
  assert.equal(block(one("aws_s3_bucket_versioning")[0].body, "versioning_configuration").status, "Enabled");
  const sse = block(block(one("aws_s3_bucket_server_side_encryption_configuration")[0].body, "rule"), "apply_server_side_encryption_by_default");
  assert.equal(sse.sse_algorithm, "aws:kms");
  assert.match(sse.kms_master_key_id, /aws_kms_key\.state/);
  const pab = one("aws_s3_bucket_public_access_block")[0].body;
  for (const k of ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"]) assert.equal(pab[k], true, k);
  const policy = boot.data.find((d) => d.type === "aws_iam_policy_document").body.statement;
  assert.ok(policy.some((s) => s.effect === "Deny" && s.condition?.[0]?.variable === "aws:SecureTransport"));
  const table = one("aws_dynamodb_table")[0].body;
  assert.equal(table.hash_key, "LockID");
  assert.equal(block(table, "point_in_time_recovery").enabled, true);
  assert.equal(block(table, "server_side_encryption").enabled, true);
  assert.equal(one("aws_kms_key")[0].body.enable_key_rotation, true);
});

test("log retentions as specified: /ecs/storymagic-api 30 days, RDS PostgreSQL 7 days", () => {
  const mon = m(prod, "monitoring");
  const ecs = mon.one("aws_cloudwatch_log_group", "ecs"), rds = mon.one("aws_cloudwatch_log_group", "rds");
  // production keeps the original name: prefix is "storymagic" there
  assert.equal(ecs.body.name, "${var.ecs_log_group_name}");
  assert.equal(prod.root.cfg.modules.monitoring.ecs_log_group_name, "/ecs/${local.prefix}-api");
  assert.match(prod.root.cfg.locals.prefix, /var\.environment == "production" \? "storymagic"/);
  assert.equal(ev(mon, ecs.body.retention_in_days), 30);
  assert.equal(rds.body.name, "/aws/rds/instance/${var.db_identifier}/postgresql");
  assert.equal(ev(mon, rds.body.retention_in_days), 7);
});

test("every CloudWatch alarm has an action", async () => {
  let n = 0;
  for (const cfg of await loadAll()) {
    for (const r of cfg.resources.filter((r) => ["aws_cloudwatch_metric_alarm", "aws_cloudwatch_composite_alarm"].includes(r.type))) {
      const actions = r.body.alarm_actions;
      assert.ok(Array.isArray(actions) ? actions.length > 0 : typeof actions === "string" && actions.length > 0, `${cfg.name}: ${r.name} has no alarm action`);
      assert.notEqual(r.body.actions_enabled, false, `${cfg.name}: ${r.name} has its actions disabled`);
      n++;
    }
  }
  assert.ok(n >= 4);
});

test("StoryMagic's four alarms with their thresholds, and an SNS topic", () => {
  const mon = m(prod, "monitoring");
  const a = (n) => mon.one("aws_cloudwatch_metric_alarm", n).body;
  const cpu = a("high_cpu");
  assert.deepEqual([cpu.namespace, cpu.metric_name, ev(mon, cpu.threshold), cpu.comparison_operator], ["AWS/ECS", "CPUUtilization", 80, "GreaterThanThreshold"]);
  assert.equal(cpu.period * ev(mon, cpu.evaluation_periods), 300, "for 5 minutes");
  assert.match(String(cpu.alarm_actions), /aws_sns_topic\.alarms.*var\.cpu_alarm_scaling_policy_arn/, "SNS + Auto Scaling");
  assert.match(prod.root.cfg.modules.monitoring.cpu_alarm_scaling_policy_arn, /module\.ecs\.cpu_high_scaling_policy_arn/);
  const db = a("db_connections");
  assert.deepEqual([db.namespace, db.metric_name, ev(mon, db.threshold)], ["AWS/RDS", "DatabaseConnections", 180]);
  const to = a("generation_timeout_rate");
  assert.equal(ev(mon, to.threshold), 5);
  const q = Object.fromEntries(to.metric_query.map((x) => [x.id, x]));
  assert.equal(block(q.timeouts, "metric").metric_name, "story_generation_timeouts");
  assert.equal(block(q.generations, "metric").metric_name, "story_generation_time");
  assert.equal(block(q.generations, "metric").stat, "SampleCount");
  assert.equal(ev(mon, block(q.timeouts, "metric").period), 600, "in 10 minutes");
  assert.equal(ev(mon, block(q.timeouts, "metric").namespace), "StoryMagic");
  assert.match(q.timeout_rate.expression, /100 \* timeouts \/ generations/);
  const sv = a("safety_violations");
  assert.deepEqual([ev(mon, sv.namespace), sv.metric_name, ev(mon, sv.threshold), sv.comparison_operator], ["StoryMagic", "content_safety_violations", 0, "GreaterThanThreshold"]);
  assert.ok(mon.one("aws_sns_topic", "alarms").body.kms_master_key_id);
});

test("ECS: cluster storymagic-production, service storymagic-api, desired 2, 50 % / 200 %, Fargate 1.4.0", () => {
  const ecs = m(prod, "ecs");
  assert.equal(prod.root.cfg.locals.cluster_name, "storymagic-${var.environment}");
  assert.equal(prod.tfvars.environment, "production");
  const svc = ecs.one("aws_ecs_service");
  assert.equal(ev(ecs, svc.body.name), "storymagic-api");
  assert.equal(ev(ecs, svc.body.desired_count), 2);
  assert.equal(ev(ecs, svc.body.deployment_minimum_healthy_percent), 50);
  assert.equal(ev(ecs, svc.body.deployment_maximum_percent), 200);
  assert.equal(ev(m(prod, "deployment"), "${var.platform_version}"), "1.4.0", "task sets run on Fargate 1.4.0");
  assert.equal(block(svc.body, "deployment_controller").type, "EXTERNAL", "blue-green task sets");
  assert.deepEqual(ecs.one("aws_ecs_cluster_capacity_providers").body.capacity_providers, ["FARGATE"]);
});

test("ECS task: 1 vCPU / 2048 MB in production, 0.5 vCPU / 1 GB in development, awsvpc, port 3000", () => {
  for (const [s, cpu, mem] of [[prod, 1024, 2048], [dev, 512, 1024]]) {
    const ecs = m(s, "ecs"), td = ecs.one("aws_ecs_task_definition");
    assert.equal(ev(ecs, td.body.cpu), cpu, `${s.env} cpu`);
    assert.equal(ev(ecs, td.body.memory), mem, `${s.env} memory`);
    assert.equal(td.body.network_mode, "awsvpc");
    assert.deepEqual(td.body.requires_compatibilities, ["FARGATE"]);
    assert.equal(ev(ecs, "${var.container_port}"), 3000);
  }
  assert.equal(dev.tfvars.ecs_desired_count, 1);
});

test("ECS secrets come from Secrets Manager, never as plain environment variables", () => {
  const call = prod.root.cfg.modules.ecs;
  const secrets = call.secrets;
  assert.deepEqual(Object.keys(secrets).sort(), ["FIREBASE_CONFIG", "OPENAI_API_KEY"]);
  const env = call.environment_variables;
  // The database credentials are read at run time through the task role, so a rotation reaches
  // running tasks: the task gets the secret's ARN, never its value.
  assert.match(env.DATABASE_SECRET_ID, /module\.secrets\.database_credentials_secret_arn/);
  assert.ok(!("DATABASE_USER" in secrets) && !("DATABASE_PASSWORD" in env), "no injected database password");
  for (const k of ["APP_ENV", "DATABASE_HOST", "DATABASE_PORT", "DATABASE_NAME", "REDIS_HOST", "REDIS_PORT", "REDIS_TLS", "STORAGE_BUCKET"]) assert.ok(k in env, `env ${k}`);
  assert.equal(env.REDIS_TLS, "true");
  assert.match(env.WARM_UP_REQUESTS, /var\.warm_up_requests/, "new tasks warm up before they listen");
  for (const k of Object.keys(env)) if (k !== "DATABASE_SECRET_ID") assert.doesNotMatch(k, /PASSWORD|SECRET|API_KEY|TOKEN/);
  const names = m(prod, "secrets").resources("aws_secretsmanager_secret").map((r) => r.body.name).sort();
  assert.deepEqual(names, ["${var.name_prefix}/database-credentials", "${var.name_prefix}/firebase-config", "${var.name_prefix}/openai-api-key"]);
});

test("autoscaling 1-4 tasks on CPU 70 % and memory 80 % with 300 s cooldowns", () => {
  const ecs = m(prod, "ecs");
  const t = ecs.one("aws_appautoscaling_target");
  assert.equal(ev(ecs, t.body.min_capacity), 1);
  assert.equal(ev(ecs, t.body.max_capacity), 4);
  for (const [name, metric, target] of [["cpu", "ECSServiceAverageCPUUtilization", 70], ["memory", "ECSServiceAverageMemoryUtilization", 80]]) {
    const c = block(ecs.one("aws_appautoscaling_policy", name).body, "target_tracking_scaling_policy_configuration");
    assert.equal(block(c, "predefined_metric_specification").predefined_metric_type, metric);
    assert.equal(ev(ecs, c.target_value), target);
    assert.equal(ev(ecs, c.scale_in_cooldown), 300);
    assert.equal(ev(ecs, c.scale_out_cooldown), 300);
  }
});

test("secrets: database credentials rotate every 30 days", () => {
  const sec = m(prod, "secrets");
  const rot = sec.one("aws_secretsmanager_secret_rotation");
  assert.equal(ev(sec, block(rot.body, "rotation_rules").automatically_after_days), 30);
  assert.match(rot.body.secret_id, /database_credentials/);
  assert.equal(prod.tfvars.enable_secret_rotation, true);
  for (const s of sec.resources("aws_secretsmanager_secret")) assert.match(s.body.kms_key_id, /aws_kms_key\.secrets/);
});

test("every KMS key rotates; every bucket blocks public access, is versioned and KMS-encrypted", async () => {
  for (const cfg of await loadAll()) {
    for (const k of cfg.resources.filter((r) => r.type === "aws_kms_key")) assert.equal(k.body.enable_key_rotation, true, `${cfg.name}: ${k.name}`);
    const buckets = cfg.resources.filter((r) => r.type === "aws_s3_bucket");
    for (const b of buckets) {
      const ref = `\${aws_s3_bucket.${b.name}.id}`;
      const has = (t) => cfg.resources.find((r) => r.type === t && r.body.bucket === ref);
      assert.ok(has("aws_s3_bucket_public_access_block"), `${cfg.name}: ${b.name} public access block`);
      assert.ok(has("aws_s3_bucket_versioning"), `${cfg.name}: ${b.name} versioning`);
      assert.ok(has("aws_s3_bucket_server_side_encryption_configuration"), `${cfg.name}: ${b.name} encryption`);
      assert.ok(has("aws_s3_bucket_policy"), `${cfg.name}: ${b.name} TLS-only policy`);
    }
  }
});

test("X-Ray samples 10 % of the requests", () => {
  const mon = m(prod, "monitoring");
  assert.equal(ev(mon, mon.one("aws_xray_sampling_rule").body.fixed_rate), 0.1);
  assert.equal(prod.root.cfg.modules.ecs.enable_xray, true);
});

test("a $400 monthly budget alerts at 80, 90 and 100 %", () => {
  assert.equal(prod.tfvars.create_budget, true);
  assert.equal(prod.tfvars.monthly_budget_usd, 400);
  const b = m(prod, "budgets");
  const budget = b.one("aws_budgets_budget");
  assert.equal(budget.body.time_unit, "MONTHLY");
  assert.equal(budget.body.limit_unit, "USD");
  assert.deepEqual(ev(b, "${var.alert_thresholds_percent}"), [80, 90, 100]);
  const dyn = budget.body.dynamic.notification[0];
  assert.match(dyn.for_each, /var\.alert_thresholds_percent/);
  assert.equal(dyn.content[0].notification_type, "ACTUAL");
  assert.equal(dyn.content[0].threshold_type, "PERCENTAGE");
  assert.equal(dev.tfvars.create_budget, false, "the account-wide budget lives in one workspace");
});

test("cost allocation tags: Project and Environment on every resource through default_tags, Component from every module", async () => {
  const root = prod.root.cfg;
  for (const p of root.providers.filter((p) => p.name === "aws")) {
    assert.ok(block(p.body, "default_tags"), `provider ${p.body.alias ?? "aws"} has default_tags`);
  }
  assert.deepEqual(Object.keys(root.locals.default_tags).sort(), ["Environment", "ManagedBy", "Project"]);
  assert.equal(root.locals.default_tags.Project, "storymagic");
  const schema = awsSchema();
  const untagged = [];
  for (const cfg of await loadAll()) {
    if (!cfg.name.startsWith("modules/")) continue;
    let hasComponent = false;
    walkStrings(cfg.locals, (s) => { if (s.includes("Component")) hasComponent = true; });
    for (const r of cfg.resources) {
      if (!r.type.startsWith("aws_")) continue;
      if (!schema.resource[r.type]?.a?.tags) continue;
      if (!r.body.tags) untagged.push(`${cfg.name}: ${r.type}.${r.name}`);
      else if (!String(JSON.stringify(r.body.tags)).match(/Component|local\.tags/)) untagged.push(`${cfg.name}: ${r.type}.${r.name} (no Component)`);
    }
    assert.ok(hasComponent || cfg.resources.every((r) => r.body.tags === undefined || JSON.stringify(r.body.tags).includes("Component")), `${cfg.name}: no Component tag`);
  }
  assert.deepEqual(untagged, [], untagged.join("\n"));
  assert.deepEqual(ev(m(prod, "budgets"), "${var.cost_allocation_tags}"), ["Project", "Environment", "Component"]);
});

test("IAM: least privilege — no wildcard actions, wildcard resources only for unscopable read/auth calls", async () => {
  const UNSCOPABLE = /^(ecr:GetAuthorizationToken|ecs:(RegisterTaskDefinition|DescribeTaskDefinition|ListTaskDefinitions|DeregisterTaskDefinition)|elasticloadbalancing:Describe\w+|cloudwatch:DescribeAlarms|xray:(Put\w+|Get\w+))$/;
  for (const cfg of await loadAll()) {
    for (const d of cfg.data.filter((d) => d.type === "aws_iam_policy_document")) {
      for (const st of d.body.statement ?? []) {
        const where = `${cfg.name}: ${d.name}/${st.sid ?? "?"}`;
        if (st.effect === "Deny") continue;
        if (String(st.resources) === "*" || (Array.isArray(st.resources) && st.resources.includes("*"))) {
          // key policies name the key itself as "*" and are scoped by principal
          if (st.principals?.some((p) => p.type === "AWS" || p.type === "Service") && (st.actions ?? []).every((a) => a.startsWith("kms:"))) continue;
          for (const a of st.actions ?? []) assert.match(a, UNSCOPABLE, `${where}: ${a} on *`);
        }
        for (const a of st.actions ?? []) {
          if (st.principals?.some((p) => p.type === "AWS") && a === "kms:*") continue; // account root administers its keys
          assert.ok(!/^\*$|^[a-z0-9-]+:\*$/.test(a), `${where}: wildcard action ${a}`);
        }
      }
    }
  }
  const iam = m(prod, "iam");
  const pass = iam.cfg.data.find((d) => d.name === "deploy").body.statement.find((s) => s.sid === "PassTaskRoles");
  assert.equal(block(pass, "condition")?.values?.[0] ?? pass.condition[0].values[0], "ecs-tasks.amazonaws.com");
  const trust = iam.cfg.data.find((d) => d.name === "deploy_assume").body.statement[0];
  assert.ok(trust.condition.some((c) => c.variable === "token.actions.githubusercontent.com:sub"), "deploy role trusts one repository/environment only");
});

test("ECR: immutable SHA tags, scan on push, 30-day retention", () => {
  const ecr = m(prod, "ecr");
  const repo = ecr.one("aws_ecr_repository");
  assert.equal(repo.body.image_tag_mutability, "IMMUTABLE");
  assert.equal(block(repo.body, "image_scanning_configuration").scan_on_push, true);
  assert.equal(ev(ecr, "${var.image_retention_days}"), 30);
});

test("the progressive deploy configuration: 10 % for 10 min, 50 % for 5 min, 100 %, previous revision kept 24 h", () => {
  const dep = m(prod, "deployment");
  assert.deepEqual(ev(dep, "${var.traffic_steps}"), [
    { percent: 10, watch_minutes: 10 },
    { percent: 50, watch_minutes: 5 },
    { percent: 100, watch_minutes: 0 },
  ]);
  assert.equal(ev(dep, "${var.previous_revision_retention_hours}"), 24);
  const listener = m(prod, "alb").one("aws_lb_listener", "https");
  const fwd = block(block(listener.body, "default_action"), "forward");
  assert.equal(fwd.target_group.length, 2, "weighted blue/green forward");
  assert.deepEqual(listener.body.lifecycle[0].ignore_changes, ["${default_action}"]);
});
