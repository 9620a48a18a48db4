#!/usr/bin/env bash
# Reproduces the side-by-side client table of benchmarks/README.md: OpenAiClientBenchmark (the raw
# OkHttp 5 + Jackson floor, StoryMagic's OpenAiStoryModel and openai-java against one in-JVM stub),
# run RUNS times (default 2) with -prof gc, then p50, p99 and allocation per call with each client's
# ratio to the floor of the same run. Writes the JMH JSON of each run to benchmarks/results/ and the
# table into benchmarks/README.md between the client-table markers (set README=- to only print it).
#
#   benchmarks/client-table.sh                # two runs, ~3 minutes each
#   RUNS=1 JMH_OPTS='-p shape=STREAMED' benchmarks/client-table.sh
#   JAR=/tmp/other-build.jar README=- benchmarks/client-table.sh   # another build, e.g. before a change
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${RUNS:-2}
jar=${JAR:-benchmarks/target/benchmarks.jar}
readme=${README:-benchmarks/README.md}
if [[ -z ${JAR:-} ]]; then
  mvn -q -B -pl benchmarks -am package -DskipTests
fi

mkdir -p benchmarks/results
stamp=$(date -u +%Y%m%dT%H%M%SZ)
files=()
loads=()
for run in $(seq 1 "$runs"); do
  out=benchmarks/results/clients-$stamp-$run.json
  before=$(cut -d' ' -f1-3 /proc/loadavg)
  # shellcheck disable=SC2086
  java -jar "$jar" OpenAiClientBenchmark -f 1 -wi 3 -i 5 -w 2s -r 2s -prof gc -foe true \
      -rf json -rff "$out" ${JMH_OPTS:-} >&2
  loads+=("run $run: $before before, $(cut -d' ' -f1-3 /proc/loadavg) after")
  files+=("$out")
done

python3 - "$readme" "$(java -version 2>&1 | head -n1)" "$(printf '%s; ' "${loads[@]}")" "${files[@]}" <<'PY'
import json, sys, statistics

readme, jdk, loads, files = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
runs = []
for f in files:
    by = {}
    for r in json.load(open(f)):
        p = r["params"]
        m = r["primaryMetric"]["scorePercentiles"]
        alloc = r["secondaryMetrics"].get("gc.alloc.rate.norm", {}).get("score")
        by[(p["client"], p["shape"])] = (m["50.0"], m["99.0"], alloc)
    runs.append(by)

def cell(values, fmt):
    return " / ".join(fmt(v) for v in values) if values else "—"

us = lambda v: f"{v:,.0f}"
kb = lambda v: f"{v / 1024:,.0f}"
ratio = lambda v: f"{v:.2f}×"
shapes = ["STRUCTURED", "PROSE", "STREAMED"]
names = {"STRUCTURED": "plain, structured output", "PROSE": "plain, prose answer", "STREAMED": "streaming, 77 events"}
lines = []
lines.append(f"Runs: {len(runs)} ({', '.join(f.split('/')[-1] for f in files)}); {jdk}; load average (1/5/15 min) {loads.rstrip('; ')}.")
lines.append("Each cell gives every run, separated by `/`; ratios are to the floor of the same run.")
lines.append("")
lines.append("| call | metric | raw floor | StoryMagic | StoryMagic ÷ floor | openai-java | openai-java ÷ floor |")
lines.append("|---|---|--:|--:|--:|--:|--:|")
medians = {}
for shape in shapes:
    for i, (metric, fmt) in enumerate([("p50 µs", us), ("p99 µs", us), ("alloc KB/call", kb)]):
        fl, sm, oj = [], [], []
        for by in runs:
            if (("FLOOR", shape) not in by):
                continue
            fl.append(by[("FLOOR", shape)][i])
            if ("STORYMAGIC", shape) in by:
                sm.append(by[("STORYMAGIC", shape)][i])
            if ("OPENAI_JAVA", shape) in by:
                oj.append(by[("OPENAI_JAVA", shape)][i])
        if not fl:
            continue
        smr = [s / f for s, f in zip(sm, fl)]
        ojr = [o / f for o, f in zip(oj, fl)]
        medians[(shape, metric)] = statistics.median(smr) if smr else None
        lines.append(f"| {names[shape]} | {metric} | {cell(fl, fmt)} | {cell(sm, fmt)} | {cell(smr, ratio)} | "
                     f"{cell(oj, fmt)} | {cell(ojr, ratio)} |")
lines.append("")
goals = {"p50 µs": 1.15, "p99 µs": 1.3, "alloc KB/call": 1.3}
lines.append("| StoryMagic ÷ floor, median of the runs | goal | " + " | ".join(names[s] for s in shapes) + " |")
lines.append("|---|--:|" + "--:|" * len(shapes))
for metric, goal in goals.items():
    row = []
    for s in shapes:
        v = medians.get((s, metric))
        row.append("—" if v is None else (f"{v:.2f}×" + (" met" if v <= goal else " **missed**")))
    lines.append(f"| {metric} | ≤ {goal:.2f}× | " + " | ".join(row) + " |")
table = "\n".join(lines)
print(table)
if readme != "-":
    text = open(readme).read()
    start, end = "<!-- client-table:start -->", "<!-- client-table:end -->"
    a, b = text.index(start) + len(start), text.index(end)
    open(readme, "w").write(text[:a] + "\n" + table + "\n" + text[b:])
PY
