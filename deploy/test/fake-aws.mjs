#!/usr/bin/env node
// A recording stand-in for the AWS CLI: simulates the ECS service's task sets, the ALB listener
// weights, target health, alarms and SSM parameters in a JSON state file (FAKE_AWS_STATE), and
// appends every call with the deploy's elapsed time to FAKE_AWS_LOG (JSON lines).
import { readFileSync, writeFileSync, appendFileSync } from "node:fs";

const statePath = process.env.FAKE_AWS_STATE;
const state = JSON.parse(readFileSync(statePath, "utf8"));
const argv = process.argv.slice(2);
const elapsed = Number(process.env.STORYMAGIC_DEPLOY_ELAPSED ?? 0);
const [service, op] = argv;
const opts = {};
for (let i = 2; i < argv.length; i++) {
  if (!argv[i].startsWith("--")) continue;
  const key = argv[i].slice(2);
  const vals = [];
  while (i + 1 < argv.length && !argv[i + 1].startsWith("--")) vals.push(argv[++i]);
  opts[key] = vals.length === 0 ? true : vals.length === 1 ? vals[0] : vals;
}
appendFileSync(process.env.FAKE_AWS_LOG, JSON.stringify({ call: `${service} ${op}`, opts, elapsed }) + "\n");

const sc = state.scenario ?? {};
const fail = (msg) => { process.stderr.write(`An error occurred: ${msg}\n`); process.exit(254); };
const out = (o) => { writeFileSync(statePath, JSON.stringify(state, null, 1)); process.stdout.write(JSON.stringify(o)); process.exit(0); };
if (opts.output !== "json") fail("the deploy must ask for --output json");
const tgOfTaskSet = (ts) => ts.loadBalancers[0].targetGroupArn;
const svc = state.service;

switch (`${service} ${op}`) {
  case "ssm get-parameter": {
    const v = state.parameters[opts.name];
    if (v === undefined) fail(`ParameterNotFound ${opts.name}`);
    out({ Parameter: { Name: opts.name, Value: v } });
  }
  case "ssm put-parameter":
    state.parameters[opts.name] = opts.value;
    out({ Version: 2 });
  case "ecs describe-services":
    out({ services: [{ serviceName: svc.name, status: "ACTIVE", taskSets: svc.taskSets }] });
  case "ecs describe-task-definition": {
    const defs = state.taskDefinitions;
    const td = opts["task-definition"].startsWith("arn:") ? defs.find((d) => d.taskDefinitionArn === opts["task-definition"]) : defs.filter((d) => d.status === "ACTIVE").at(-1);
    if (!td) fail("ClientException: unable to describe task definition");
    out({ taskDefinition: td, tags: opts.include === "TAGS" ? [{ key: "Project", value: "storymagic" }] : undefined });
  }
  case "ecs register-task-definition": {
    const input = JSON.parse(readFileSync(opts["cli-input-json"].replace("file://", ""), "utf8"));
    for (const forbidden of ["taskDefinitionArn", "revision", "status", "registeredAt", "registeredBy", "requiresAttributes", "compatibilities"]) {
      if (forbidden in input) fail(`ParamValidation: Unknown parameter in input: "${forbidden}"`);
    }
    const revision = state.taskDefinitions.length + 1;
    const td = { ...input, taskDefinitionArn: `arn:aws:ecs:eu-central-1:111122223333:task-definition/${input.family}:${revision}`, revision, status: "ACTIVE", registeredAt: new Date(state.clockStart * 1000 + elapsed * 1000).toISOString() };
    delete td.tags;
    state.taskDefinitions.push(td);
    out({ taskDefinition: td });
  }
  case "ecs list-task-definitions":
    out({ taskDefinitionArns: state.taskDefinitions.filter((d) => d.status === "ACTIVE").map((d) => d.taskDefinitionArn).reverse() });
  case "ecs deregister-task-definition": {
    const td = state.taskDefinitions.find((d) => d.taskDefinitionArn === opts["task-definition"]);
    td.status = "INACTIVE";
    out({ taskDefinition: td });
  }
  case "ecs create-task-set": {
    const lbs = JSON.parse(opts["load-balancers"]);
    const net = JSON.parse(opts["network-configuration"]);
    if (!net.awsvpcConfiguration.subnets.length) fail("InvalidParameterException: subnets");
    const id = `ecs-svc/${1000 + svc.taskSets.length + state.created++}`;
    const ts = { id, taskSetArn: `arn:aws:ecs:eu-central-1:111122223333:task-set/${svc.cluster}/${svc.name}/${id}`, status: "ACTIVE", taskDefinition: opts["task-definition"], loadBalancers: lbs, computedDesiredCount: svc.desiredCount, runningCount: 0, stabilityStatus: "STABILIZING", launchType: opts["launch-type"], platformVersion: opts["platform-version"], createdAtElapsed: elapsed };
    svc.taskSets.push(ts);
    out({ taskSet: ts });
  }
  case "ecs describe-task-sets": {
    const ts = svc.taskSets.find((t) => t.id === opts["task-sets"]);
    if (ts && !sc.neverStable && elapsed - ts.createdAtElapsed >= (sc.stabilizeSeconds ?? 60)) {
      ts.runningCount = ts.computedDesiredCount;
      ts.stabilityStatus = "STEADY_STATE";
    }
    out({ taskSets: ts ? [ts] : [] });
  }
  case "ecs update-service-primary-task-set": {
    for (const t of svc.taskSets) t.status = t.id === opts["primary-task-set"] ? "PRIMARY" : "ACTIVE";
    out({ taskSet: svc.taskSets.find((t) => t.id === opts["primary-task-set"]) });
  }
  case "ecs delete-task-set": {
    const i = svc.taskSets.findIndex((t) => t.id === opts["task-set"]);
    if (i < 0) fail("TaskSetNotFoundException");
    if (svc.taskSets[i].status === "PRIMARY") fail("InvalidParameterException: cannot delete the primary task set");
    const [ts] = svc.taskSets.splice(i, 1);
    out({ taskSet: { ...ts, status: "DRAINING" } });
  }
  case "elbv2 describe-listeners":
    out({ Listeners: [{ ListenerArn: opts["listener-arns"], DefaultActions: [{ Type: "forward", ForwardConfig: { TargetGroups: Object.entries(state.weights).map(([arn, w]) => ({ TargetGroupArn: arn, Weight: w })) } }] }] });
  case "elbv2 modify-listener": {
    const actions = JSON.parse(opts["default-actions"]);
    const groups = actions[0].ForwardConfig.TargetGroups;
    if (groups.reduce((a, g) => a + g.Weight, 0) !== 100) fail("ValidationError: weights must add up to 100 here");
    state.weights = Object.fromEntries(groups.map((g) => [g.TargetGroupArn, g.Weight]));
    out({ Listeners: [{ ListenerArn: opts["listener-arn"], DefaultActions: actions }] });
  }
  case "elbv2 describe-target-health": {
    const tg = opts["target-group-arn"];
    const ts = svc.taskSets.find((t) => tgOfTaskSet(t) === tg && t.stabilityStatus === "STEADY_STATE");
    const n = ts ? ts.runningCount : 0;
    const bad = sc.unhealthy && sc.unhealthy.targetGroup === tg && elapsed >= sc.unhealthy.fromElapsed;
    out({ TargetHealthDescriptions: Array.from({ length: n }, (_, i) => ({ Target: { Id: `10.0.2.${10 + i}`, Port: 3000 }, TargetHealth: { State: bad && i === 0 ? "unhealthy" : "healthy" } })) });
  }
  case "cloudwatch describe-alarms": {
    const names = [].concat(opts["alarm-names"] ?? []);
    const firing = (sc.alarms ?? []).filter((a) => names.includes(a.name) && elapsed >= a.fromElapsed).map((a) => ({ AlarmName: a.name, StateValue: "ALARM" }));
    out({ MetricAlarms: opts["state-value"] === "ALARM" ? firing : [], CompositeAlarms: [] });
  }
  default:
    fail(`fake aws: unsupported call ${service} ${op}`);
}
