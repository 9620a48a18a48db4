#!/usr/bin/env bash
# Load test on loopback with wrk: requests per second and p99 latency of
#   - a bare Javalin endpoint returning a constant (the yardstick): GET, and POST with the story
#     request's body (read whole before the answer, the yardstick of the story POST),
#   - GET /api/stories/{id} (a stored story, in-memory store),
#   - POST /api/stories served from the cache,
# in one run, one after the other, on the embedded defaults (offline engine, development identity).
#
# Usage: reference-server/load/bench.sh [duration_seconds=20] [connections=64] [rounds=1]
# Needs wrk (apt-get install -y wrk) and the jar (mvn -B -q -pl reference-server -am package -DskipTests).
# With several rounds the three endpoints are measured in turn round after round, so each round's
# shares compare figures taken seconds apart; the table gives every round and the median share.
# It also gives each server's CPU time per request served (user + system, all its threads, from
# /proc): bare CPU ÷ this CPU is roughly the share a CPU-bound server would reach on cores of its
# own. It still rises with contention (a JIT starved of CPU, cache misses), so on a shared machine
# compare builds or endpoints within one round rather than across runs.
# JAR (another build of the server, e.g. before a change), BASELINE_JAR (the build whose bare
# server runs, default JAR: one from before the bare POST has none), JAVA (the java binary) and
# WARMUP (seconds of load per endpoint before the rounds, default 10) may be set;
# the ports are free ones chosen at start unless SERVER_PORT / BASELINE_PORT are set.
# Every cached POST stores a new story in the in-memory store, which refuses stories once full (503):
# STORE_CAPACITY (default 1,000,000 stories) and HEAP (default 3g) size it, and the POST endpoints
# warm up for at most 30 s of WARMUP; errors in the table mean the run measured refusals, not stories.
# ENDPOINTS (names from the table, baseline among them) measures only those. The POST rows are
# compared with baseline_post when it is measured (a request body alone widens Jetty's latency
# spread: bare Javalin's p99 is about twice its GET's), and with baseline in the last column too.
# COMPARE_JAR (a second build) starts a second server beside the first and measures its two story
# endpoints too (get_story_b, post_cached_b) in the same rounds: before/after a change side by side.
# SERVER_GC (default -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:MaxTenuringThreshold=1, the container's collector settings;
# the bare server runs with them too) and SERVER_JVM_OPTS set the servers' collector and other JVM
# options; COMPARE_GC and COMPARE_JVM_OPTS the second server's, when they differ (COMPARE_JAR may
# be the same jar: one build under two collectors side by side).
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-20}
CONNECTIONS=${2:-64}
ROUNDS=${3:-1}
THREADS=2
JAR=${JAR:-reference-server/target/storymagic-server.jar}
JAVA=${JAVA:-java}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
SERVER_PORT=${SERVER_PORT:-$(free_port)}
BASELINE_PORT=${BASELINE_PORT:-$(free_port)}
OUT=$(mktemp -d)
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install -y wrk" >&2; exit 1; }
[ -f "$JAR" ] || { echo "$JAR is missing: mvn -B -q -pl reference-server -am package -DskipTests" >&2; exit 1; }

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

STORE_CAPACITY=${STORE_CAPACITY:-1000000}
SERVER_GC=${SERVER_GC:--XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:MaxTenuringThreshold=1}
COMPARE_GC=${COMPARE_GC:-$SERVER_GC}
HEAP=${HEAP:-3g}
PORT=$SERVER_PORT OFFLINE_STREAM_PACE_MS=0 RATE_LIMIT_PER_MINUTE=0 MAX_IN_FLIGHT_PER_USER=0 METRICS_FLUSH_SECONDS=10 MEMORY_STORE_CAPACITY=$STORE_CAPACITY \
  "$JAVA" -Xms$HEAP -Xmx$HEAP $SERVER_GC ${SERVER_JVM_OPTS:-} -jar "$JAR" >"$OUT/server.log" 2>&1 & pids+=($!)
"$JAVA" -Xms512m -Xmx512m $SERVER_GC -cp "${BASELINE_JAR:-$JAR}" dev.storymagic.server.internal.BaselineServer "$BASELINE_PORT" >"$OUT/baseline.log" 2>&1 & pids+=($!)
probes=("$SERVER_PORT/health/live" "$BASELINE_PORT/constant")
if [ -n "${COMPARE_JAR:-}" ]; then
  [ -f "$COMPARE_JAR" ] || { echo "$COMPARE_JAR is missing" >&2; exit 1; }
  COMPARE_PORT=${COMPARE_PORT:-$(free_port)}
  PORT=$COMPARE_PORT OFFLINE_STREAM_PACE_MS=0 RATE_LIMIT_PER_MINUTE=0 MAX_IN_FLIGHT_PER_USER=0 METRICS_FLUSH_SECONDS=10 MEMORY_STORE_CAPACITY=$STORE_CAPACITY \
    "$JAVA" -Xms$HEAP -Xmx$HEAP $COMPARE_GC ${COMPARE_JVM_OPTS:-${SERVER_JVM_OPTS:-}} -jar "$COMPARE_JAR" >"$OUT/server-b.log" 2>&1 & pids+=($!)
  probes+=("$COMPARE_PORT/health/live")
fi

for port in "${probes[@]}"; do
  for _ in $(seq 240); do curl -fsS "http://127.0.0.1:$port" >/dev/null 2>&1 && break; sleep 0.5; done # start-up loads the safety model
  curl -fsS "http://127.0.0.1:$port" >/dev/null
done

BODY='{"theme":"space","ageGroup":"6-8","characters":[{"name":"Mia","description":"a curious girl"}],"moral":"sharing"}'
story_id() { curl -fsS -X POST -H 'Content-Type: application/json' -d "$BODY" "http://127.0.0.1:$1/api/stories" \
  | sed -E 's/^\{"id":"([^"]+)".*/\1/'; }
ID=$(story_id "$SERVER_PORT")
echo "story id: $ID"

declare -A URLS=(
  [baseline]="http://127.0.0.1:$BASELINE_PORT/constant"
  [baseline_post]="http://127.0.0.1:$BASELINE_PORT/constant"
  [get_story]="http://127.0.0.1:$SERVER_PORT/api/stories/$ID"
  [post_cached]="http://127.0.0.1:$SERVER_PORT/api/stories"
)
ORDER=(baseline baseline_post get_story post_cached)
if [ -n "${COMPARE_JAR:-}" ]; then
  ID_B=$(story_id "$COMPARE_PORT")
  URLS[get_story_b]="http://127.0.0.1:$COMPARE_PORT/api/stories/$ID_B"
  URLS[post_cached_b]="http://127.0.0.1:$COMPARE_PORT/api/stories"
  ORDER=(baseline baseline_post get_story get_story_b post_cached post_cached_b)
  echo "JAR=$JAR: get_story, post_cached; COMPARE_JAR=$COMPARE_JAR: get_story_b, post_cached_b"
fi

if [ -n "${ENDPOINTS:-}" ]; then
  # Only these, in the usual order; e.g. ENDPOINTS="baseline get_story" keeps the POSTs, which grow
  # the heap with a story per request, out of the server whose GET latency is measured.
  read -r -a wanted <<<"$ENDPOINTS"
  kept=()
  for name in "${ORDER[@]}"; do [[ " ${wanted[*]} " == *" $name "* ]] && kept+=("$name"); done
  [[ " ${kept[*]} " == *" baseline "* ]] || { echo "ENDPOINTS must include baseline (the yardstick)" >&2; exit 1; }
  ORDER=("${kept[@]}")
fi

declare -A PIDS=([baseline]=${pids[1]} [baseline_post]=${pids[1]} [get_story]=${pids[0]} [post_cached]=${pids[0]})
if [ -n "${COMPARE_JAR:-}" ]; then PIDS[get_story_b]=${pids[2]}; PIDS[post_cached_b]=${pids[2]}; fi
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # the server's user + system time, all its threads

run() { # name, seconds[, file for the server's CPU ticks during the run]
  local name=$1 seconds=$2 script=() before
  [[ "$name" == post_cached* || "$name" == baseline_post ]] && script=(-s reference-server/load/post-story.lua)
  before=$(cpu_ticks "${PIDS[$name]}")
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" --timeout 10s --latency "${script[@]}" "${URLS[$name]}"
  [ -z "${3:-}" ] || echo $(( $(cpu_ticks "${PIDS[$name]}") - before )) >"$3"
}

echo "warming up (${WARMUP:-10} s each)..."
for name in "${ORDER[@]}"; do
  warmup=${WARMUP:-10}
  # The POSTs fill the store: their warm-up stops at 30 s (the server's code is mostly shared with GET's).
  [[ "$name" != post_cached* ]] || warmup=$(( warmup < 30 ? warmup : 30 ))
  run "$name" "$warmup" >/dev/null
done

for round in $(seq "$ROUNDS"); do
  for name in "${ORDER[@]}"; do
    echo "== round $round, $name: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency ${URLS[$name]}"
    run "$name" "$DURATION" "$OUT/$name-$round.cpu" | tee "$OUT/$name-$round.txt"
  done
done

rps() { awk '/Requests\/sec/ {print $2}' "$OUT/$1.txt"; }
p99ms() { awk '$1=="99%" { v=$2; if (v ~ /us$/) { sub(/us$/, "", v); v/=1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v*=1000 } print v }' "$OUT/$1.txt"; }
HZ=$(getconf CLK_TCK)
cpu_us() { # the server's CPU µs per request served in that run
  awk -v t="$(cat "$OUT/$1.cpu")" -v hz="$HZ" '/requests in/ {printf "%.1f", t * 1e6 / hz / $1}' "$OUT/$1.txt"; }
errors() { awk '/Non-2xx|Socket errors/ {print}' "$OUT/$1.txt" | tr '\n' ' '; }
median() { sort -g | awk '{ a[NR]=$1 } END { if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2] + a[NR/2+1]) / 2 }'; }
echo
measured() { [[ " ${ORDER[*]} " == *" $1 "* ]]; }
yardstick() { # what an endpoint is compared with: bare POST for the POSTs when measured, else bare GET
  if [[ "$1" == post_cached* ]] && measured baseline_post; then echo baseline_post; else echo baseline; fi; }
echo "| endpoint | requests/s | p99 ms | yardstick | share of its req/s (median) | p99 ÷ its p99 (median) | goal | server CPU µs/request | yardstick CPU ÷ this CPU (median) | against bare GET: share, p99 ratio (medians) | errors |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for name in "${ORDER[@]}"; do
  y=$(yardstick "$name")
  rs=(); ps=(); shares=(); ratios=(); cpus=(); cpu_shares=(); get_shares=(); get_ratios=(); errs=""
  for round in $(seq "$ROUNDS"); do
    r=$(rps "$name-$round"); p=$(p99ms "$name-$round")
    b=$(rps "$y-$round"); bp=$(p99ms "$y-$round")
    g=$(rps "baseline-$round"); gp=$(p99ms "baseline-$round")
    rs+=("$r"); ps+=("$p")
    shares+=("$(awk -v r="$r" -v b="$b" 'BEGIN { printf "%.1f", 100 * r / b }')")
    ratios+=("$(awk -v p="$p" -v b="$bp" 'BEGIN { printf "%.2f", p / b }')")
    get_shares+=("$(awk -v r="$r" -v b="$g" 'BEGIN { printf "%.1f", 100 * r / b }')")
    get_ratios+=("$(awk -v p="$p" -v b="$gp" 'BEGIN { printf "%.2f", p / b }')")
    c=$(cpu_us "$name-$round"); bc=$(cpu_us "$y-$round"); cpus+=("$c")
    cpu_shares+=("$(awk -v c="$c" -v b="$bc" 'BEGIN { printf "%.1f", 100 * b / c }')")
    errs+="$(errors "$name-$round")"
  done
  share=$(printf '%s\n' "${shares[@]}" | median)
  ratio=$(printf '%s\n' "${ratios[@]}" | median)
  cpu_share=$(printf '%s\n' "${cpu_shares[@]}" | median)
  get_share=$(printf '%s\n' "${get_shares[@]}" | median)
  get_ratio=$(printf '%s\n' "${get_ratios[@]}" | median)
  goal="-"
  if [[ "$name" != baseline* ]]; then
    goal=$(awk -v s="$share" -v q="$ratio" 'BEGIN { print (s >= 60 ? "req/s met" : "req/s **missed**") ", " (q <= 2 ? "p99 met" : "p99 **missed**") }')
  fi
  echo "| $name | $(IFS=/; echo "${rs[*]}") | $(IFS=/; echo "${ps[*]}") | $y | $(IFS=/; echo "${shares[*]}") % ($share %) | $(IFS=/; echo "${ratios[*]}") ($ratio) | $goal | $(IFS=/; echo "${cpus[*]}") | $(IFS=/; echo "${cpu_shares[*]}") % ($cpu_share %) | $get_share %, $get_ratio | ${errs:-none} |"
done
echo
echo "machine: $(nproc) cores, $("$JAVA" -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
