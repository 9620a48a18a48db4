// Tracing to X-Ray through the ADOT collector sidecar, and the database pool alarm.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { stack } from "../lib/eval.mjs";
import { TF_ROOT } from "../lib/hcl.mjs";

const prod = await stack("production");
const dev = await stack("development");
const m = (s, name) => s.modules[name];

test("tracing: the ADOT collector runs beside the API, pinned, non-essential, read-only, memory-bounded", () => {
  for (const s of [prod, dev]) {
    const ecs = m(s, "ecs");
    assert.equal(s.root.cfg.modules.ecs.enable_xray, true, `${s.env}: tracing on`);
    assert.match(ecs.one("aws_ecs_task_definition").body.container_definitions,
      /var\.enable_xray \? \[local\.collector_container\]/, `${s.env}: the collector is in the task definition`);
    const c = ecs.eval(ecs.cfg.locals.collector_container);
    assert.match(c.image, /^public\.ecr\.aws\/aws-observability\/aws-otel-collector:v\d+\.\d+\.\d+$/, "pinned release tag");
    assert.equal(c.essential, false, "a collector in trouble never stops the API");
    assert.equal(c.readonlyRootFilesystem, true);
    assert.ok(c.memory > 0 && c.memory >= c.memoryReservation, "hard memory limit");
    assert.deepEqual(c.healthCheck.command, ["/healthcheck"]);
    assert.equal(c.logConfiguration.logDriver, "awslogs");
    assert.equal(ecs.cfg.locals.collector_container.logConfiguration.options["awslogs-group"], "${var.collector_log_group_name}");
    assert.match(ecs.cfg.locals.collector_container.environment[0].value, /yamlencode\(local\.collector_config\)/);
  }
});

test("tracing: the collector takes OTLP/HTTP on localhost and sends traces to X-Ray, bounded by memory and batch", () => {
  const ecs = m(prod, "ecs");
  const cfg = ecs.eval(ecs.cfg.locals.collector_config);
  assert.equal(cfg.receivers.otlp.protocols.http.endpoint, "127.0.0.1:4318", "localhost only");
  assert.equal(cfg.receivers.otlp.protocols.grpc, undefined, "one protocol, the one the server speaks");
  const traces = cfg.service.pipelines.traces;
  assert.deepEqual(traces.receivers, ["otlp"]);
  assert.deepEqual(traces.exporters, ["awsxray"]);
  assert.equal(traces.processors[0], "memory_limiter", "the memory limiter comes first");
  assert.ok(traces.processors.includes("batch"));
  assert.ok(cfg.processors.memory_limiter.limit_mib < ecs.eval(ecs.cfg.locals.collector_container).memory);
  assert.ok(cfg.processors.batch.send_batch_max_size <= 50, "X-Ray takes at most 50 segments per call");
  assert.equal(cfg.exporters.awsxray.region, prod.tfvars.aws_region ?? cfg.exporters.awsxray.region);
  assert.deepEqual(cfg.service.extensions, ["health_check"]);
  for (const a of cfg.exporters.awsxray.indexed_attributes) {
    assert.match(a, /^(http\.route|storymagic\.(theme|age_group|cache\.served_from)|gen_ai\.request\.model)$/, `annotation ${a} holds no user text`);
  }
});

test("tracing: the API exports to the collector and samples 10 % of new traces", () => {
  const ecs = m(prod, "ecs");
  assert.match(ecs.cfg.locals.environment, /var\.enable_xray \? local\.tracing_environment/);
  const env = ecs.eval(ecs.cfg.locals.tracing_environment);
  const receiver = ecs.eval(ecs.cfg.locals.collector_config).receivers.otlp.protocols.http.endpoint;
  assert.equal(env.OTEL_EXPORTER_OTLP_ENDPOINT, `http://${receiver}`);
  assert.equal(env.OTEL_SERVICE_NAME, "storymagic-api");
  assert.equal(ecs.cfg.locals.tracing_environment.TRACES_SAMPLER_RATIO, "${tostring(var.traces_sampler_ratio)}");
  assert.equal(ecs.eval("${var.traces_sampler_ratio}"), 0.1);
  assert.equal(m(prod, "monitoring").eval("${var.xray_sampling_rate}"), 0.1);
});

test("tracing: the collector has its own log group, the execution role may write it, the task role may send to X-Ray", () => {
  const mon = m(prod, "monitoring");
  const group = mon.one("aws_cloudwatch_log_group", "collector");
  assert.equal(group.body.name, "${var.ecs_log_group_name}-collector");
  assert.ok(mon.eval(group.body.retention_in_days) > 0, "retention set");
  assert.match(prod.root.cfg.modules.ecs.collector_log_group_name, /module\.monitoring\.collector_log_group_name/);
  assert.match(prod.root.cfg.modules.iam.collector_log_group_arn, /module\.monitoring\.collector_log_group_arn/);
  const iam = m(prod, "iam");
  const logs = iam.cfg.data.find((d) => d.name === "execution").body.statement.find((s) => s.sid === "Logs");
  assert.ok(logs.resources.includes("${var.collector_log_group_arn}") && logs.resources.includes("${var.collector_log_group_arn}:*"));
  const traces = iam.cfg.data.find((d) => d.name === "task").body.statement.find((s) => s.sid === "WriteTraces");
  for (const action of ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]) assert.ok(traces.actions.includes(action), action);
});

test("alarm: requests waiting for a database connection, beside the connection count, on the metric the server writes", async () => {
  const mon = m(prod, "monitoring");
  const a = mon.one("aws_cloudwatch_metric_alarm", "db_pool_pending").body;
  assert.equal(mon.eval(a.namespace), "StoryMagic");
  assert.equal(a.metric_name, "hikaricp_connections_pending");
  assert.equal(a.comparison_operator, "GreaterThanThreshold");
  assert.equal(mon.eval(a.threshold), 5);
  assert.equal(a.period * mon.eval(a.evaluation_periods), 180, "for 3 minutes");
  assert.equal(a.treat_missing_data, "notBreaching", "a server without a database writes no pool gauge");
  assert.match(String(a.alarm_actions), /aws_sns_topic\.alarms/);
  assert.ok(mon.one("aws_cloudwatch_metric_alarm", "db_connections"), "the connection-count alarm stays");
  assert.match(JSON.stringify(mon.one("aws_cloudwatch_dashboard").body.dashboard_body), /db_pool_pending/);
  const emf = await readFile(join(TF_ROOT, "..", "reference-server/src/main/java/dev/storymagic/server/internal/EmfMeterRegistry.java"), "utf8");
  assert.match(emf, /"hikaricp\.connections\.pending",\s*new Definition\("hikaricp_connections_pending", "Count"/,
    "the server writes the metric the alarm watches");
});
