#!/usr/bin/env bash
# Runs the StoryMagic JMH benchmarks and prints a markdown summary.
#
#   benchmarks/run.sh quick [regex]   one fork, 1 s warmup + 1 s measurement per benchmark: checks that
#                                     every benchmark runs (all of them in under 5 minutes); timings are
#                                     only indicative
#   benchmarks/run.sh full  [regex]   one fork, 3 x 2 s warmup + 5 x 2 s measurement: the figures to
#                                     report (about 20 minutes for everything)
#
# Every run uses the GC profiler (allocation per operation), writes its JMH JSON to
# benchmarks/results/<mode>-<UTC timestamp>.json and the markdown summary beside it (.md), and
# prints the summary. The jar is rebuilt first when missing or older than any source or pom.
# Redis (127.0.0.1:6379) and PostgreSQL (127.0.0.1:5432) must be up for the Redis and PostgreSQL
# benchmarks. Extra JMH options can be passed in JMH_OPTS.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-}
regex=${2:-.}
case "$mode" in
  quick) timing=(-f 1 -wi 1 -i 1 -w 1s -r 1s) ;;
  full)  timing=(-f 1 -wi 3 -i 5 -w 2s -r 2s) ;;
  *) echo "usage: $0 quick|full [jmh regex]" >&2; exit 2 ;;
esac

jar=benchmarks/target/benchmarks.jar
stale() {
  [[ ! -f $jar ]] && return 0
  [[ -n $(find pom.xml sdk-core sdk-openai sdk-store sdk-safety-ml reference-server/src/main benchmarks -newer "$jar" \
      \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -type f \
      -not -path '*/target/*' -print -quit 2>/dev/null) ]]
}
if stale; then
  echo "building $jar" >&2
  mvn -q -B -pl benchmarks -am package -DskipTests
fi

load() { cut -d' ' -f1-3 /proc/loadavg; }
machine() {
  local cpu mem jdk
  cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
  mem=$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)
  jdk=$(java -version 2>&1 | head -n1)
  echo "$(nproc) cores ($cpu), $mem RAM, $jdk"
}

mkdir -p benchmarks/results
out=benchmarks/results/$mode-$(date -u +%Y%m%dT%H%M%SZ).json
echo "running '$regex' in $mode mode; JMH JSON -> $out" >&2
load_before=$(load)
started=$(date +%s)
# shellcheck disable=SC2086
java -jar "$jar" "$regex" "${timing[@]}" -prof gc -foe true -rf json -rff "$out" ${JMH_OPTS:-} >&2

summary=${out%.json}.md
{
echo "# StoryMagic benchmarks, $mode mode"
echo
echo "- Run: $(date -u +%Y-%m-%dT%H:%MZ), $(( $(date +%s) - started )) s, JMH JSON \`$out\`"
echo "- Machine: $(machine)"
echo "- Load average (1, 5, 15 min) before: $load_before; after: $(load)"
echo
java -cp "$jar" dev.storymagic.benchmarks.Summary "$out"
if [[ $mode == quick ]]; then
  echo
  echo "_Quick mode: one short iteration per benchmark, a smoke check; run \`benchmarks/run.sh full\` for figures._"
fi
} > "$summary"
echo
cat "$summary"
