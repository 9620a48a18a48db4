// Tests of the progressive blue-green deploy against a recording stand-in for the AWS CLI,
// with a virtual clock: the 15 minutes of watching take no real time.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, chmodSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, DeployError, makeClock, forbidRealTimers } from "../ecs-progressive-deploy.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const SCRIPT = resolve(here, "..", "ecs-progressive-deploy.mjs");
const START = 1_750_000_000; // virtual clock start, epoch seconds
const H = 3600;
const TG = { blue: "arn:aws:elasticloadbalancing:eu-central-1:111122223333:targetgroup/storymagic-api-tg-blue/1", green: "arn:aws:elasticloadbalancing:eu-central-1:111122223333:targetgroup/storymagic-api-tg-green/2" };
const LISTENER = "arn:aws:elasticloadbalancing:eu-central-1:111122223333:listener/app/storymagic-alb/3/4";
const FAMILY = "storymagic-api";
const tdArn = (n) => `arn:aws:ecs:eu-central-1:111122223333:task-definition/${FAMILY}:${n}`;
const CONFIG = {
  environment: "production", cluster: "storymagic-production", service: "storymagic-api", family: FAMILY,
  container_name: "api", container_port: 3000, platform_version: "1.4.0",
  subnets: ["subnet-app-a", "subnet-app-b"], security_groups: ["sg-ecs"], listener_arn: LISTENER, target_groups: TG,
  alarms_by_color: { blue: ["storymagic-api-blue-5xx", "storymagic-api-blue-unhealthy-hosts"], green: ["storymagic-api-green-5xx", "storymagic-api-green-unhealthy-hosts"] },
  service_alarms: ["storymagic-high-cpu-utilization", "storymagic-generation-timeout-rate"],
  steps: [{ percent: 10, watch_minutes: 10 }, { percent: 50, watch_minutes: 5 }, { percent: 100, watch_minutes: 0 }],
  keep_previous_hours: 24, history_parameter: "/storymagic/production/deploy/history",
};

function taskDef(n, registeredHoursAgo) {
  return {
    taskDefinitionArn: tdArn(n), family: FAMILY, revision: n, status: "ACTIVE", registeredAt: new Date((START - registeredHoursAgo * H) * 1000).toISOString(),
    registeredBy: "arn:aws:iam::111122223333:role/storymagic-deploy", requiresAttributes: [{ name: "ecs.capability.secrets.asm.environment-variables" }], compatibilities: ["EC2", "FARGATE"],
    taskRoleArn: "arn:aws:iam::111122223333:role/storymagic-ecs-task", executionRoleArn: "arn:aws:iam::111122223333:role/storymagic-ecs-execution",
    networkMode: "awsvpc", requiresCompatibilities: ["FARGATE"], cpu: "1024", memory: "2048",
    containerDefinitions: [
      { name: "api", image: `111122223333.dkr.ecr.eu-central-1.amazonaws.com/storymagic-api:rev${n}`, portMappings: [{ containerPort: 3000 }], environment: [{ name: "APP_ENV", value: "production" }], secrets: [{ name: "OPENAI_API_KEY", valueFrom: "arn:aws:secretsmanager:eu-central-1:111122223333:secret:storymagic/openai-api-key" }] },
      { name: "xray-daemon", image: "public.ecr.aws/xray/aws-xray-daemon:3.3.14", essential: false },
    ],
    volumes: [{ name: "tmp" }],
  };
}

function setup({ scenario = {}, primary = true, weights = { [TG.blue]: 100, [TG.green]: 0 }, history = { current: tdArn(2), previous: tdArn(1) } } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "deploy-test-"));
  const state = {
    clockStart: START, created: 0, scenario, weights,
    parameters: { "/storymagic/production/deploy/config": JSON.stringify(CONFIG), [CONFIG.history_parameter]: JSON.stringify(history) },
    taskDefinitions: [taskDef(1, 72), taskDef(2, 30), taskDef(3, 2)],
    service: {
      name: "storymagic-api", cluster: "storymagic-production", desiredCount: 2,
      taskSets: primary ? [{ id: "ecs-svc/1", status: "PRIMARY", taskDefinition: tdArn(2), loadBalancers: [{ targetGroupArn: TG.blue, containerName: "api", containerPort: 3000 }], computedDesiredCount: 2, runningCount: 2, stabilityStatus: "STEADY_STATE", createdAtElapsed: -99999 }] : [],
    },
  };
  writeFileSync(join(dir, "state.json"), JSON.stringify(state));
  writeFileSync(join(dir, "calls.log"), "");
  const wrapper = join(dir, "aws");
  writeFileSync(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${join(here, "fake-aws.mjs")}" "$@"\n`);
  chmodSync(wrapper, 0o755);
  return dir;
}

function deploy(dir, args) {
  const r = spawnSync(process.execPath, [SCRIPT, ...args], {
    encoding: "utf8",
    env: { ...process.env, AWS_CLI: join(dir, "aws"), FAKE_AWS_STATE: join(dir, "state.json"), FAKE_AWS_LOG: join(dir, "calls.log"), DEPLOY_CLOCK: "virtual", DEPLOY_CLOCK_START: String(START) },
  });
  const calls = readFileSync(join(dir, "calls.log"), "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l));
  const state = JSON.parse(readFileSync(join(dir, "state.json"), "utf8"));
  return { status: r.status, out: r.stdout + r.stderr, calls, state };
}

const shifts = (calls) => calls.filter((c) => c.call === "elbv2 modify-listener").map((c) => ({ elapsed: c.elapsed, weights: Object.fromEntries(JSON.parse(c.opts["default-actions"])[0].ForwardConfig.TargetGroups.map((g) => [g.TargetGroupArn === TG.blue ? "blue" : "green", g.Weight])) }));
const IMAGE = "111122223333.dkr.ecr.eu-central-1.amazonaws.com/storymagic-api:0123abcd";

test("happy path: 10 % -> 10 min -> 50 % -> 5 min -> 100 %, then the old tasks are retired", () => {
  const dir = setup();
  const r = deploy(dir, ["--environment", "production", "--image", IMAGE]);
  // Real timers are refused under the virtual clock: success means nothing really waited.
  assert.equal(r.status, 0, r.out);

  // a new revision from the latest one, only the image changed
  const reg = r.state.taskDefinitions.at(-1);
  assert.equal(reg.revision, 4);
  assert.equal(reg.containerDefinitions[0].image, IMAGE);
  assert.deepEqual(reg.containerDefinitions[0].secrets, taskDef(3, 0).containerDefinitions[0].secrets);
  assert.equal(reg.containerDefinitions[1].image, "public.ecr.aws/xray/aws-xray-daemon:3.3.14");

  // the new task set runs behind green with the configured network
  const create = r.calls.find((c) => c.call === "ecs create-task-set");
  assert.equal(create.opts["task-definition"], tdArn(4));
  assert.equal(create.opts["launch-type"], "FARGATE");
  assert.equal(create.opts["platform-version"], "1.4.0");
  assert.deepEqual(JSON.parse(create.opts["network-configuration"]).awsvpcConfiguration, { subnets: CONFIG.subnets, securityGroups: ["sg-ecs"], assignPublicIp: "DISABLED" });
  assert.equal(JSON.parse(create.opts["load-balancers"])[0].targetGroupArn, TG.green);

  // traffic steps and the watch times between them
  const s = shifts(r.calls);
  assert.deepEqual(s.map((x) => x.weights), [{ green: 10, blue: 90 }, { green: 50, blue: 50 }, { green: 100, blue: 0 }]);
  assert.ok(s[0].elapsed >= 60, "no traffic before the new tasks are steady and healthy");
  assert.equal(s[1].elapsed - s[0].elapsed, 600, "watch 10 minutes at 10 %");
  assert.equal(s[2].elapsed - s[1].elapsed, 300, "watch 5 minutes at 50 %");

  // health and alarms were checked throughout the watches
  const alarmChecks = r.calls.filter((c) => c.call === "cloudwatch describe-alarms");
  assert.ok(alarmChecks.length >= 600 / 30 + 300 / 30, `alarms polled ${alarmChecks.length} times`);
  assert.deepEqual(alarmChecks[0].opts["alarm-names"], [...CONFIG.alarms_by_color.green, ...CONFIG.service_alarms]);
  assert.ok(r.calls.filter((c) => c.call === "elbv2 describe-target-health" && c.opts["target-group-arn"] === TG.green).length >= 30);

  // the new task set becomes primary, then the old one is deleted
  const names = r.calls.map((c) => c.call);
  const iPrimary = names.indexOf("ecs update-service-primary-task-set");
  const iDelete = names.lastIndexOf("ecs delete-task-set");
  assert.ok(iPrimary > 0 && iDelete > iPrimary);
  assert.equal(r.calls[iDelete].opts["task-set"], "ecs-svc/1");
  assert.deepEqual(r.state.service.taskSets.map((t) => [t.status, t.taskDefinition]), [["PRIMARY", tdArn(4)]]);

  // history and the 24-hour retention of the previous task definition
  const history = JSON.parse(r.state.parameters[CONFIG.history_parameter]);
  assert.equal(history.current, tdArn(4));
  assert.equal(history.previous, tdArn(2));
  const status = Object.fromEntries(r.state.taskDefinitions.map((t) => [t.revision, t.status]));
  assert.deepEqual(status, { 1: "INACTIVE", 2: "ACTIVE", 3: "ACTIVE", 4: "ACTIVE" }, "72 h old revision deregistered; previous (30 h) and recent (2 h) kept");
});

test("an alarm during the 10 % phase rolls back: traffic to blue, new task set deleted, exit 2", () => {
  const dir = setup({ scenario: { alarms: [{ name: "storymagic-api-green-5xx", fromElapsed: 300 }] } });
  const r = deploy(dir, ["--environment", "production", "--image", IMAGE]);
  assert.equal(r.status, 2, r.out);
  assert.match(r.out, /ROLLBACK: alarm in ALARM: storymagic-api-green-5xx/);
  const s = shifts(r.calls);
  assert.deepEqual(s.map((x) => x.weights), [{ green: 10, blue: 90 }, { blue: 100, green: 0 }]);
  assert.ok(s[1].elapsed - s[0].elapsed < 600, "rolled back before the watch ended");
  assert.ok(s[1].elapsed >= 300);
  assert.ok(!r.calls.some((c) => c.call === "ecs update-service-primary-task-set"));
  assert.deepEqual(r.state.service.taskSets.map((t) => [t.id, t.status]), [["ecs-svc/1", "PRIMARY"]]);
  assert.equal(JSON.parse(r.state.parameters[CONFIG.history_parameter]).current, tdArn(2), "history untouched");
  assert.ok(!r.calls.some((c) => c.call === "ecs deregister-task-definition"));
});

test("failing health checks during the 50 % phase roll back", () => {
  const dir = setup({ scenario: { unhealthy: { targetGroup: TG.green, fromElapsed: 60 + 600 + 120 } } });
  const r = deploy(dir, ["--environment", "production", "--image", IMAGE]);
  assert.equal(r.status, 2, r.out);
  assert.match(r.out, /health checks failing on green/);
  assert.deepEqual(shifts(r.calls).map((x) => x.weights), [{ green: 10, blue: 90 }, { green: 50, blue: 50 }, { blue: 100, green: 0 }]);
  assert.deepEqual(r.state.service.taskSets.map((t) => t.id), ["ecs-svc/1"]);
});

test("a new task set that never becomes steady is removed before it gets any traffic", () => {
  const dir = setup({ scenario: { neverStable: true } });
  const r = deploy(dir, ["--environment", "production", "--image", IMAGE, "--stabilize-timeout-seconds", "900"]);
  assert.equal(r.status, 2, r.out);
  assert.match(r.out, /did not stabilise within 900 s/);
  assert.deepEqual(shifts(r.calls), [], "listener never touched");
  const polls = r.calls.filter((c) => c.call === "ecs describe-task-sets");
  assert.ok(polls.at(-1).elapsed >= 900);
  assert.deepEqual(r.state.service.taskSets.map((t) => t.id), ["ecs-svc/1"]);
  assert.deepEqual(r.state.weights, { [TG.blue]: 100, [TG.green]: 0 });
});

test("--rollback redeploys the previous task definition at once, without registering a new one", () => {
  const dir = setup();
  assert.equal(deploy(dir, ["--environment", "production", "--image", IMAGE]).status, 0);
  writeFileSync(join(dir, "calls.log"), "");
  const r = deploy(dir, ["--environment", "production", "--rollback"]);
  assert.equal(r.status, 0, r.out);
  assert.ok(!r.calls.some((c) => c.call === "ecs register-task-definition"));
  assert.equal(r.calls.find((c) => c.call === "ecs create-task-set").opts["task-definition"], tdArn(2));
  assert.deepEqual(shifts(r.calls).map((x) => x.weights), [{ blue: 100, green: 0 }]);
  assert.deepEqual(r.state.service.taskSets.map((t) => [t.status, t.taskDefinition]), [["PRIMARY", tdArn(2)]]);
  const history = JSON.parse(r.state.parameters[CONFIG.history_parameter]);
  assert.deepEqual([history.current, history.previous], [tdArn(2), tdArn(4)]);
});

test("the first deploy of an empty service goes straight to 100 % on blue", () => {
  const dir = setup({ primary: false, history: { current: null, previous: null } });
  const r = deploy(dir, ["--environment", "production", "--image", IMAGE]);
  assert.equal(r.status, 0, r.out);
  assert.equal(JSON.parse(r.calls.find((c) => c.call === "ecs create-task-set").opts["load-balancers"])[0].targetGroupArn, TG.blue);
  assert.deepEqual(shifts(r.calls).map((x) => x.weights), [{ blue: 100, green: 0 }]);
  assert.equal(r.state.service.taskSets[0].status, "PRIMARY");
});

test("an unsettled listener (interrupted deploy) is refused before anything changes", () => {
  const dir = setup({ weights: { [TG.blue]: 50, [TG.green]: 50 } });
  const r = deploy(dir, ["--environment", "production", "--image", IMAGE]);
  assert.equal(r.status, 1);
  assert.match(r.out, /listener is not settled/);
  const writes = r.calls.filter((c) => /register|create|modify|delete|put|update/.test(c.call));
  assert.deepEqual(writes, []);
});

test("--rollback without a recorded previous revision fails cleanly", () => {
  const dir = setup({ history: { current: tdArn(2), previous: null } });
  const r = deploy(dir, ["--environment", "production", "--rollback"]);
  assert.equal(r.status, 1);
  assert.match(r.out, /no previous task definition/);
});

test("argument validation", () => {
  assert.throws(() => parseArgs(["--environment", "prod", "--image", "x"]), DeployError);
  assert.throws(() => parseArgs(["--environment", "production"]), /exactly one/);
  assert.throws(() => parseArgs(["--environment", "production", "--image", "x", "--rollback"]), /exactly one/);
  assert.throws(() => parseArgs(["--environment", "production", "--image", "x", "--steps", "10:60,50:60"]), /ending at 100/);
  const o = parseArgs(["--environment", "staging", "--image", "x", "--steps", "25:30,100:0"]);
  assert.deepEqual(o.steps, [{ percent: 25, watch_seconds: 30 }, { percent: 100, watch_seconds: 0 }]);
  assert.equal(o.configParameter, "/storymagic/staging/deploy/config");
  assert.deepEqual(parseArgs(["--environment", "production", "--rollback"]).steps, [{ percent: 100, watch_seconds: 0 }]);
});

test("the virtual clock moves only when slept on, and real timers are refused beside it", async () => {
  const clock = makeClock("virtual");
  const start = clock.now();
  assert.equal(clock.elapsed(), 0);
  await clock.sleep(900);
  assert.equal(clock.now() - start, 900_000);
  assert.equal(clock.elapsed(), 900);

  const fired = [];
  const timers = { setTimeout: (fn, ms) => fired.push(["timeout", ms]), setInterval: (fn, ms) => fired.push(["interval", ms]) };
  forbidRealTimers(timers);
  assert.throws(() => timers.setTimeout(() => {}, 1000), /setTimeout of 1000 ms under the virtual clock/);
  assert.throws(() => timers.setInterval(() => {}, 5), /setInterval of 5 ms under the virtual clock/);
  timers.setTimeout(() => {}, 0);
  assert.deepEqual(fired, [["timeout", 0]]);
});
