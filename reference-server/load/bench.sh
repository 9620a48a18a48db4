#!/usr/bin/env bash
# Load test on loopback with wrk: requests per second and p99 latency of
#   - a bare Javalin endpoint returning a constant (the yardstick),
#   - GET /api/stories/{id} (a stored story, in-memory store),
#   - POST /api/stories served from the cache,
# in one run, one after the other, on the embedded defaults (offline engine, development identity).
#
# Usage: reference-server/load/bench.sh [duration_seconds=20] [connections=64]
# Needs wrk (apt-get install -y wrk) and the jar (mvn -B -q -pl reference-server -am package -DskipTests).
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-20}
CONNECTIONS=${2:-64}
THREADS=2
JAR=reference-server/target/storymagic-server.jar
SERVER_PORT=${SERVER_PORT:-3100}
BASELINE_PORT=${BASELINE_PORT:-3101}
OUT=$(mktemp -d)
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install -y wrk" >&2; exit 1; }
[ -f "$JAR" ] || { echo "$JAR is missing: mvn -B -q -pl reference-server -am package -DskipTests" >&2; exit 1; }

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# Every cached POST stores a new story in the in-memory store: room for a few minutes of them.
PORT=$SERVER_PORT OFFLINE_STREAM_PACE_MS=0 RATE_LIMIT_PER_MINUTE=0 MAX_IN_FLIGHT_PER_USER=0 METRICS_FLUSH_SECONDS=10 MEMORY_STORE_CAPACITY=1000000 \
  java -Xms3g -Xmx3g -XX:+UseG1GC -jar "$JAR" >"$OUT/server.log" 2>&1 & pids+=($!)
java -Xms512m -Xmx512m -XX:+UseG1GC -cp "$JAR" dev.storymagic.server.internal.BaselineServer "$BASELINE_PORT" >"$OUT/baseline.log" 2>&1 & pids+=($!)

for port in "$SERVER_PORT/health/live" "$BASELINE_PORT/constant"; do
  for _ in $(seq 60); do curl -fsS "http://127.0.0.1:$port" >/dev/null 2>&1 && break; sleep 0.5; done
  curl -fsS "http://127.0.0.1:$port" >/dev/null
done

BODY='{"theme":"space","ageGroup":"6-8","characters":[{"name":"Mia","description":"a curious girl"}],"moral":"sharing"}'
ID=$(curl -fsS -X POST -H 'Content-Type: application/json' -d "$BODY" "http://127.0.0.1:$SERVER_PORT/api/stories" \
  | sed -E 's/^\{"id":"([^"]+)".*/\1/')
echo "story id: $ID"

declare -A URLS=(
  [baseline]="http://127.0.0.1:$BASELINE_PORT/constant"
  [get_story]="http://127.0.0.1:$SERVER_PORT/api/stories/$ID"
  [post_cached]="http://127.0.0.1:$SERVER_PORT/api/stories"
)
ORDER=(baseline get_story post_cached)

run() { # name, seconds
  local name=$1 seconds=$2 script=()
  [ "$name" = post_cached ] && script=(-s reference-server/load/post-story.lua)
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" --timeout 10s --latency "${script[@]}" "${URLS[$name]}"
}

echo "warming up (10 s each)..."
for name in "${ORDER[@]}"; do run "$name" 10 >/dev/null; done

for name in "${ORDER[@]}"; do
  echo "== $name: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency ${URLS[$name]}"
  run "$name" "$DURATION" | tee "$OUT/$name.txt"
done

rps() { awk '/Requests\/sec/ {print $2}' "$OUT/$1.txt"; }
p99() { awk '$1=="99%" {print $2}' "$OUT/$1.txt"; }
errors() { awk '/Non-2xx|Socket errors/ {print}' "$OUT/$1.txt" | tr '\n' ' '; }
base=$(rps baseline)
echo
echo "| endpoint | requests/s | p99 | share of the bare endpoint | errors |"
echo "|---|---|---|---|---|"
for name in "${ORDER[@]}"; do
  r=$(rps "$name")
  share=$(awk -v r="$r" -v b="$base" 'BEGIN { printf "%.0f %%", 100 * r / b }')
  echo "| $name | $r | $(p99 "$name") | $share | $(errors "$name") |"
done
echo
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
