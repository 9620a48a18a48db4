#!/usr/bin/env node
// StoryMagic progressive blue-green deploy on ECS Fargate (EXTERNAL deployment controller).
//
//   1. register a new task definition revision with the new image (or take a given one)
//   2. start it as a new task set behind the idle colour's target group, wait until healthy
//   3. shift the ALB listener weights step by step — 10 % → watch 10 min → 50 % → watch 5 min
//      → 100 % — checking target health and the rollback alarms throughout
//   4. make the new task set primary and delete the old one (its tasks are terminated)
//   5. record current/previous task definition; deregister revisions older than 24 h that are
//      neither (the previous one stays available for a rollback)
// Any failed check after the new task set exists rolls back automatically: all traffic back to
// the old task set, new task set deleted, exit code 2.
//
// Usage:
//   node deploy/ecs-progressive-deploy.mjs --environment production --image <registry/repo:sha>
//   node deploy/ecs-progressive-deploy.mjs --environment production --task-definition <arn>
//   node deploy/ecs-progressive-deploy.mjs --environment production --rollback   (previous revision, all at once)
// Options: --config-parameter <ssm name>  --steps 10:600,50:300,100:0  --poll-seconds 30
//          --stabilize-timeout-seconds 900  --region <region>
// Environment: AWS_CLI (default "aws"); DEPLOY_CLOCK=virtual makes waits instantaneous (tests),
// DEPLOY_CLOCK_START sets the virtual clock's start (epoch seconds).
import { execFileSync } from "node:child_process";
import { writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export class DeployError extends Error {}

// ------------------------------------------------------------------------------------------
// Clock: real or virtual (tests inject the virtual one so 15 minutes of watching take no time).
// Under the virtual clock real timers are refused outright, so a test proves that nothing really
// waited by the deploy succeeding, not by timing it.
// ------------------------------------------------------------------------------------------
export function forbidRealTimers(timers = globalThis) {
  for (const name of ["setTimeout", "setInterval"]) {
    const real = timers[name];
    timers[name] = (fn, ms = 0, ...args) => {
      if (ms > 0) throw new Error(`${name} of ${ms} ms under the virtual clock (DEPLOY_CLOCK=virtual)`);
      return real(fn, ms, ...args);
    };
  }
}

export function makeClock(mode = process.env.DEPLOY_CLOCK) {
  const start = process.env.DEPLOY_CLOCK_START ? Number(process.env.DEPLOY_CLOCK_START) * 1000 : Date.now();
  if (mode === "virtual") {
    let now = start;
    return { virtual: true, now: () => now, elapsed: () => Math.round((now - start) / 1000), sleep: async (s) => { now += s * 1000; } };
  }
  const t0 = Date.now();
  return { virtual: false, now: () => Date.now(), elapsed: () => Math.round((Date.now() - t0) / 1000), sleep: (s) => new Promise((r) => setTimeout(r, s * 1000)) };
}

export function parseArgs(argv) {
  const opts = { pollSeconds: 30, stabilizeTimeoutSeconds: 900, rollback: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => { if (i + 1 >= argv.length) throw new DeployError(`${a} needs a value`); return argv[++i]; };
    switch (a) {
      case "--environment": opts.environment = next(); break;
      case "--image": opts.image = next(); break;
      case "--task-definition": opts.taskDefinition = next(); break;
      case "--config-parameter": opts.configParameter = next(); break;
      case "--steps": opts.steps = next().split(",").map((s) => { const [p, w] = s.split(":").map(Number); return { percent: p, watch_seconds: w }; }); break;
      case "--poll-seconds": opts.pollSeconds = Number(next()); break;
      case "--stabilize-timeout-seconds": opts.stabilizeTimeoutSeconds = Number(next()); break;
      case "--region": opts.region = next(); break;
      case "--rollback": opts.rollback = true; break;
      default: throw new DeployError(`unknown argument ${a}`);
    }
  }
  if (!["development", "staging", "production"].includes(opts.environment)) throw new DeployError("--environment must be development, staging or production");
  const modes = [opts.image, opts.taskDefinition, opts.rollback || undefined].filter(Boolean).length;
  if (modes !== 1) throw new DeployError("give exactly one of --image, --task-definition, --rollback");
  if (opts.steps && (opts.steps.some((s) => !(s.percent > 0 && s.percent <= 100) || !(s.watch_seconds >= 0)) || opts.steps.at(-1).percent !== 100)) throw new DeployError("--steps must be percent:seconds pairs ending at 100");
  if (opts.rollback && !opts.steps) opts.steps = [{ percent: 100, watch_seconds: 0 }];
  opts.configParameter ??= `/storymagic/${opts.environment}/deploy/config`;
  return opts;
}

export class Deployer {
  constructor(opts, { clock = makeClock(), log = (m) => console.log(m), cli = process.env.AWS_CLI || "aws" } = {}) {
    Object.assign(this, { opts, clock, cli });
    this.log = (m) => log(`[+${String(clock.elapsed()).padStart(5)}s] ${m}`);
    this.tmp = mkdtempSync(join(tmpdir(), "storymagic-deploy-"));
  }

  aws(args) {
    const full = [...args, "--output", "json", ...(this.opts.region ? ["--region", this.opts.region] : [])];
    let out;
    try {
      out = execFileSync(this.cli, full, { encoding: "utf8", env: { ...process.env, STORYMAGIC_DEPLOY_ELAPSED: String(this.clock.elapsed()) }, stdio: ["ignore", "pipe", "pipe"] });
    } catch (e) {
      throw new DeployError(`aws ${args.slice(0, 2).join(" ")} failed: ${(e.stderr || e.message).toString().trim()}`);
    }
    return out.trim() ? JSON.parse(out) : {};
  }

  // ---- reads ---------------------------------------------------------------------------
  loadConfig() {
    const p = this.aws(["ssm", "get-parameter", "--name", this.opts.configParameter]);
    const c = JSON.parse(p.Parameter.Value);
    for (const k of ["cluster", "service", "family", "container_name", "container_port", "subnets", "security_groups", "listener_arn", "target_groups", "history_parameter"]) {
      if (c[k] === undefined) throw new DeployError(`deploy configuration lacks ${k}`);
    }
    this.cfg = c;
    this.steps = this.opts.steps ?? (c.steps ?? []).map((s) => ({ percent: s.percent, watch_seconds: s.watch_minutes * 60 }));
    if (!this.steps.length || this.steps.at(-1).percent !== 100) throw new DeployError("the traffic steps must end at 100 %");
    return c;
  }

  history() {
    const p = this.aws(["ssm", "get-parameter", "--name", this.cfg.history_parameter]);
    return JSON.parse(p.Parameter.Value || "{}");
  }

  service() {
    const r = this.aws(["ecs", "describe-services", "--cluster", this.cfg.cluster, "--services", this.cfg.service]);
    const s = r.services?.[0];
    if (!s || s.status !== "ACTIVE") throw new DeployError(`service ${this.cfg.service} not found or not active`);
    return s;
  }

  weights() {
    const r = this.aws(["elbv2", "describe-listeners", "--listener-arns", this.cfg.listener_arn]);
    const action = r.Listeners[0].DefaultActions.find((a) => a.Type === "forward");
    const out = {};
    for (const tg of action?.ForwardConfig?.TargetGroups ?? []) out[tg.TargetGroupArn] = tg.Weight ?? 0;
    return out;
  }

  colorOf(tgArn) {
    return Object.entries(this.cfg.target_groups).find(([, arn]) => arn === tgArn)?.[0];
  }

  // ---- writes --------------------------------------------------------------------------
  registerTaskDefinition(image) {
    const { taskDefinition: td, tags } = this.aws(["ecs", "describe-task-definition", "--task-definition", this.cfg.family, "--include", "TAGS"]);
    const input = {};
    for (const k of ["family", "taskRoleArn", "executionRoleArn", "networkMode", "containerDefinitions", "volumes", "placementConstraints", "requiresCompatibilities", "cpu", "memory", "runtimePlatform", "ephemeralStorage", "proxyConfiguration", "pidMode", "ipcMode"]) {
      if (td[k] !== undefined) input[k] = td[k];
    }
    const c = input.containerDefinitions.find((x) => x.name === this.cfg.container_name);
    if (!c) throw new DeployError(`container ${this.cfg.container_name} not in ${td.taskDefinitionArn}`);
    c.image = image;
    if (tags?.length) input.tags = tags;
    const file = join(this.tmp, "task-definition.json");
    writeFileSync(file, JSON.stringify(input));
    const r = this.aws(["ecs", "register-task-definition", "--cli-input-json", `file://${file}`]);
    this.log(`registered ${r.taskDefinition.taskDefinitionArn} (image ${image}, based on revision ${td.revision})`);
    return r.taskDefinition.taskDefinitionArn;
  }

  setWeights(newTg, percent, oldTg) {
    const groups = [{ TargetGroupArn: newTg, Weight: percent }];
    if (oldTg) groups.push({ TargetGroupArn: oldTg, Weight: 100 - percent });
    for (const arn of Object.values(this.cfg.target_groups)) if (arn !== newTg && arn !== oldTg) groups.push({ TargetGroupArn: arn, Weight: 0 });
    const actions = [{ Type: "forward", ForwardConfig: { TargetGroups: groups, TargetGroupStickinessConfig: { Enabled: false } } }];
    this.aws(["elbv2", "modify-listener", "--listener-arn", this.cfg.listener_arn, "--default-actions", JSON.stringify(actions)]);
    this.log(`traffic: ${percent} % new (${this.colorOf(newTg)}), ${oldTg ? 100 - percent : 0} % old${oldTg ? ` (${this.colorOf(oldTg)})` : ""}`);
  }

  createTaskSet(taskDefinition, tgArn) {
    const r = this.aws([
      "ecs", "create-task-set", "--cluster", this.cfg.cluster, "--service", this.cfg.service,
      "--task-definition", taskDefinition, "--external-id", `deploy-${this.clock.now()}`,
      "--launch-type", "FARGATE", "--platform-version", this.cfg.platform_version ?? "1.4.0",
      "--network-configuration", JSON.stringify({ awsvpcConfiguration: { subnets: this.cfg.subnets, securityGroups: this.cfg.security_groups, assignPublicIp: "DISABLED" } }),
      "--load-balancers", JSON.stringify([{ targetGroupArn: tgArn, containerName: this.cfg.container_name, containerPort: this.cfg.container_port }]),
      "--scale", JSON.stringify({ value: 100, unit: "PERCENT" }),
    ]);
    this.log(`created task set ${r.taskSet.id} behind ${this.colorOf(tgArn)}`);
    return r.taskSet;
  }

  deleteTaskSet(id) {
    this.aws(["ecs", "delete-task-set", "--cluster", this.cfg.cluster, "--service", this.cfg.service, "--task-set", id, "--force"]);
    this.log(`deleted task set ${id}`);
  }

  // ---- waits and checks ------------------------------------------------------------------
  async waitStable(taskSetId) {
    const deadline = this.clock.elapsed() + this.opts.stabilizeTimeoutSeconds;
    for (;;) {
      const ts = this.aws(["ecs", "describe-task-sets", "--cluster", this.cfg.cluster, "--service", this.cfg.service, "--task-sets", taskSetId]).taskSets?.[0];
      if (!ts) throw new DeployError(`task set ${taskSetId} disappeared`);
      if (ts.stabilityStatus === "STEADY_STATE" && ts.runningCount >= ts.computedDesiredCount && ts.computedDesiredCount > 0) {
        this.log(`task set ${taskSetId} steady: ${ts.runningCount} task(s) running`);
        return ts;
      }
      if (this.clock.elapsed() >= deadline) throw new DeployError(`task set ${taskSetId} did not stabilise within ${this.opts.stabilizeTimeoutSeconds} s (${ts.runningCount}/${ts.computedDesiredCount} running)`);
      await this.clock.sleep(this.opts.pollSeconds);
    }
  }

  targetHealth(tgArn) {
    const r = this.aws(["elbv2", "describe-target-health", "--target-group-arn", tgArn]);
    const states = (r.TargetHealthDescriptions ?? []).map((d) => d.TargetHealth.State);
    return { healthy: states.filter((s) => s === "healthy").length, unhealthy: states.filter((s) => s === "unhealthy").length, total: states.length };
  }

  async waitHealthy(tgArn, expected) {
    const deadline = this.clock.elapsed() + this.opts.stabilizeTimeoutSeconds;
    for (;;) {
      const h = this.targetHealth(tgArn);
      if (h.healthy >= expected && h.unhealthy === 0) { this.log(`${this.colorOf(tgArn)}: ${h.healthy} healthy target(s)`); return; }
      if (this.clock.elapsed() >= deadline) throw new DeployError(`${this.colorOf(tgArn)} targets not healthy within ${this.opts.stabilizeTimeoutSeconds} s (${h.healthy}/${expected} healthy, ${h.unhealthy} unhealthy)`);
      await this.clock.sleep(this.opts.pollSeconds);
    }
  }

  alarmNames(color) {
    return [...(this.cfg.alarms_by_color?.[color] ?? []), ...(this.cfg.service_alarms ?? [])];
  }

  /** One health check of the new version: its targets and the rollback alarms. */
  check(tgArn, color) {
    const h = this.targetHealth(tgArn);
    if (h.unhealthy > 0 || h.healthy === 0) return `health checks failing on ${color}: ${h.healthy} healthy, ${h.unhealthy} unhealthy`;
    const names = this.alarmNames(color);
    if (names.length) {
      const r = this.aws(["cloudwatch", "describe-alarms", "--alarm-names", ...names, "--state-value", "ALARM"]);
      const firing = [...(r.MetricAlarms ?? []), ...(r.CompositeAlarms ?? [])].map((a) => a.AlarmName);
      if (firing.length) return `alarm in ALARM: ${firing.join(", ")}`;
    }
    return null;
  }

  async watch(tgArn, color, seconds) {
    this.log(`watching ${color} for ${seconds} s`);
    const until = this.clock.elapsed() + seconds;
    for (;;) {
      const problem = this.check(tgArn, color);
      if (problem) throw new DeployError(problem);
      if (this.clock.elapsed() >= until) return;
      await this.clock.sleep(Math.min(this.opts.pollSeconds, until - this.clock.elapsed()));
    }
  }

  async rollback(reason, state) {
    this.log(`ROLLBACK: ${reason}`);
    if (state.oldTg && state.weightsShifted) this.setWeights(state.oldTg, 100, state.newTg);
    if (state.newTaskSet) this.deleteTaskSet(state.newTaskSet.id);
    this.log(`rolled back: all traffic on ${state.oldTg ? this.colorOf(state.oldTg) + " (" + state.oldTaskDefinition + ")" : "nothing (first deploy)"}`);
  }

  cleanupRevisions(keep) {
    const hours = this.cfg.keep_previous_hours ?? 24;
    const list = this.aws(["ecs", "list-task-definitions", "--family-prefix", this.cfg.family, "--status", "ACTIVE", "--sort", "DESC"]).taskDefinitionArns ?? [];
    for (const arn of list) {
      if (keep.includes(arn)) continue;
      const td = this.aws(["ecs", "describe-task-definition", "--task-definition", arn]).taskDefinition;
      const ageHours = (this.clock.now() - new Date(td.registeredAt).getTime()) / 3_600_000;
      if (ageHours > hours) {
        this.aws(["ecs", "deregister-task-definition", "--task-definition", arn]);
        this.log(`deregistered ${arn} (${ageHours.toFixed(1)} h old)`);
      }
    }
  }

  // ---- the deploy ------------------------------------------------------------------------
  async run() {
    this.loadConfig();
    const svc = this.service();
    const weights = this.weights();
    const primary = (svc.taskSets ?? []).find((t) => t.status === "PRIMARY");
    const state = { weightsShifted: false };
    if (primary) {
      state.oldTaskSet = primary;
      state.oldTg = primary.loadBalancers?.[0]?.targetGroupArn;
      state.oldTaskDefinition = primary.taskDefinition;
      if (!this.colorOf(state.oldTg)) throw new DeployError(`primary task set ${primary.id} is behind an unknown target group`);
      if (weights[state.oldTg] !== 100) throw new DeployError(`listener is not settled (${JSON.stringify(weights)}): a previous deploy did not finish; inspect it or run --rollback`);
    }
    const oldColor = state.oldTg ? this.colorOf(state.oldTg) : "green";
    const newColor = oldColor === "blue" ? "green" : "blue";
    state.newTg = this.cfg.target_groups[newColor];

    let taskDefinition = this.opts.taskDefinition;
    if (this.opts.rollback) {
      taskDefinition = this.history().previous;
      if (!taskDefinition) throw new DeployError("no previous task definition recorded: nothing to roll back to");
      this.log(`rolling back to the previous task definition ${taskDefinition}`);
    } else if (this.opts.image) {
      taskDefinition = this.registerTaskDefinition(this.opts.image);
    }
    this.log(`deploying ${taskDefinition} to ${newColor}${primary ? `; ${oldColor} runs ${state.oldTaskDefinition}` : " (first deploy)"}`);

    // Leftovers of an interrupted deploy receive no traffic (the listener is settled): remove them.
    for (const ts of svc.taskSets ?? []) if (ts.status !== "PRIMARY") this.deleteTaskSet(ts.id);

    try {
      state.newTaskSet = this.createTaskSet(taskDefinition, state.newTg);
      const stable = await this.waitStable(state.newTaskSet.id);
      await this.waitHealthy(state.newTg, Math.max(1, stable.computedDesiredCount));
      if (!primary) {
        this.setWeights(state.newTg, 100, null);
      } else {
        for (const step of this.steps) {
          this.setWeights(state.newTg, step.percent, state.oldTg);
          state.weightsShifted = true;
          if (step.watch_seconds > 0) await this.watch(state.newTg, newColor, step.watch_seconds);
        }
        const problem = this.check(state.newTg, newColor);
        if (problem) throw new DeployError(problem);
      }
    } catch (e) {
      if (!(e instanceof DeployError)) throw e;
      await this.rollback(e.message, state);
      return { ok: false, reason: e.message };
    }

    this.aws(["ecs", "update-service-primary-task-set", "--cluster", this.cfg.cluster, "--service", this.cfg.service, "--primary-task-set", state.newTaskSet.id]);
    this.log(`task set ${state.newTaskSet.id} is primary`);
    if (state.oldTaskSet) this.deleteTaskSet(state.oldTaskSet.id);
    const history = { current: taskDefinition, previous: state.oldTaskDefinition ?? null, deployed_at: new Date(this.clock.now()).toISOString(), color: newColor };
    this.aws(["ssm", "put-parameter", "--name", this.cfg.history_parameter, "--type", "String", "--overwrite", "--value", JSON.stringify(history)]);
    this.cleanupRevisions([taskDefinition, state.oldTaskDefinition].filter(Boolean));
    this.log(`deploy complete: ${taskDefinition} serves 100 % on ${newColor}`);
    return { ok: true, taskDefinition, color: newColor };
  }

  close() {
    rmSync(this.tmp, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let deployer;
  if (process.env.DEPLOY_CLOCK === "virtual") forbidRealTimers();
  try {
    deployer = new Deployer(parseArgs(process.argv.slice(2)));
    const result = await deployer.run();
    process.exitCode = result.ok ? 0 : 2;
  } catch (e) {
    console.error(`deploy failed: ${e.message}`);
    process.exitCode = 1;
  } finally {
    deployer?.close();
  }
}
