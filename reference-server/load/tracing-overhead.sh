#!/usr/bin/env bash
# What tracing costs the cached-story endpoint: POST /api/stories served from the cache, wrk on
# loopback, against two servers started side by side from the same jar:
#   - off: no OTLP endpoint (the embedded default: nothing sampled or exported),
#   - on:  OTEL_EXPORTER_OTLP_ENDPOINT set to a local OTLP/HTTP sink, TRACES_SAMPLER_RATIO=0.1.
# The rounds alternate (off then on, then on then off, ...) so both see the same machine; the
# medians, their ratio and the median of the per-round ratios are printed at the end. WARMUP (seconds, default 20) per server first.
#
# Usage: reference-server/load/tracing-overhead.sh [rounds=3] [seconds=15] [connections=32]
# RATIO (default 0.1) sets the "on" server's TRACES_SAMPLER_RATIO; JAR another build.
# ENDPOINT=get measures GET /api/stories/{id} of one stored story instead: no story is added per
# request, so the heap stays the same size round after round and the rounds agree more closely.
# HEAP (default 3g) is each server's heap: every cached POST stores a new story.
# TRACE_HEADER=alb: every request carries a new X-Amzn-Trace-Id Root, as behind the load balancer
# (load/alb-trace-header.lua), so the ids come from the header instead of being made by the server.
# JFR=seconds: after the rounds, record each server under load for that long (JFR, profile settings)
# and print the share of its CPU samples spent in tracing (load/tracing-share.py): a figure that does
# not move with how much of the machine the server got, unlike req/s.
# PROFILE=seconds: the same with async-profiler (CPU samples every millisecond, not JFR's every 10 to 20 ms,
# and not only at safepoints): tens of thousands of samples per server, so the share is good to a few
# tenths of a point. Its native library comes from Maven Central (the version pinned in the parent POM as
# async-profiler.version; Linux x64), or from ASYNC_PROFILER_LIB.
# PIN=1: the servers on the last core and wrk and the OTLP stand-in on the others (taskset), so the
# server measured does not share its core with the load generator: on a 2-core machine the rounds
# otherwise swing by several per cent as the scheduler splits the cores between wrk and the server.
# Needs wrk, python3 and the jar (mvn -B -q -pl reference-server -am package -DskipTests).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-3}
LABEL="ratio ${RATIO:-0.1}"
SECONDS_PER_ROUND=${2:-15}
CONNECTIONS=${3:-32}
JAR=${JAR:-reference-server/target/storymagic-server.jar}  # another build may be given
OUT=$(mktemp -d)
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install -y wrk" >&2; exit 1; }
[ -f "$JAR" ] || { echo "$JAR is missing: mvn -B -q -pl reference-server -am package -DskipTests" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
OFF_PORT=$(free_port); ON_PORT=$(free_port); SINK_PORT=$(free_port)
SERVER_ON=(); LOAD_ON=()
if [ -n "${PIN:-}" ]; then
  last=$(($(nproc) - 1))
  (( last > 0 )) || { echo "PIN needs at least two cores" >&2; exit 1; }
  SERVER_ON=(taskset -c "$last"); LOAD_ON=(taskset -c "0-$((last - 1))")
fi

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# The collector stand-in: answers every OTLP/HTTP export with 200 and counts the bytes.
"${LOAD_ON[@]}" python3 - "$SINK_PORT" >"$OUT/sink.log" 2>&1 <<'PY' & pids+=($!)
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
class Sink(BaseHTTPRequestHandler):
    # HTTP/1.1 keeps the exporter's connection open between exports, as the collector does; the
    # handler's default, HTTP/1.0, would make the server open a connection for every export.
    protocol_version = "HTTP/1.1"
    received = 0
    def do_POST(self):
        Sink.received += int(self.headers.get("Content-Length", 0))
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200); self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0"); self.end_headers()
        print("exports received, bytes so far:", Sink.received, flush=True)
    def log_message(self, *args):
        pass
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()
PY

common=(OFFLINE_STREAM_PACE_MS=0 RATE_LIMIT_PER_MINUTE=0 MAX_IN_FLIGHT_PER_USER=0 MEMORY_STORE_CAPACITY=2000000 EMF_ENABLED=false HOST=127.0.0.1)
HEAP=${HEAP:-3g}
env "${common[@]}" PORT=$OFF_PORT "${SERVER_ON[@]}" java -Xms$HEAP -Xmx$HEAP -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:MaxTenuringThreshold=1 -jar "$JAR" >"$OUT/off.log" 2>&1 & pids+=($!)
env "${common[@]}" PORT=$ON_PORT OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$SINK_PORT" TRACES_SAMPLER_RATIO=${RATIO:-0.1} \
  "${SERVER_ON[@]}" java -Xms$HEAP -Xmx$HEAP -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:MaxTenuringThreshold=1 -jar "$JAR" >"$OUT/on.log" 2>&1 & pids+=($!)
for port in $OFF_PORT $ON_PORT; do
  for _ in $(seq 240); do curl -fsS "http://127.0.0.1:$port/health/live" >/dev/null 2>&1 && break; sleep 0.5; done
  curl -fsS "http://127.0.0.1:$port/health/live" >/dev/null
done

OFF_PID=${pids[1]}; ON_PID=${pids[2]}
BODY='{"theme":"space","ageGroup":"6-8","characters":[{"name":"Mia","description":"a curious girl"}],"moral":"sharing"}'
declare -A TARGET
for port in $OFF_PORT $ON_PORT; do
  if [ "${ENDPOINT:-post}" = get ]; then
    id=$(curl -fsS -X POST -H 'Content-Type: application/json' -d "$BODY" "http://127.0.0.1:$port/api/stories" \
      | sed -E 's/^\{"id":"([^"]+)".*/\1/')
    TARGET[$port]="/api/stories/$id"
  else
    TARGET[$port]="/api/stories"
  fi
done
WRK_SCRIPT=()
if [ "${TRACE_HEADER:-}" = alb ]; then
  WRK_SCRIPT=(-s reference-server/load/alb-trace-header.lua)
  [ "${ENDPOINT:-post}" = get ] || export POST_STORY=1
elif [ "${ENDPOINT:-post}" != get ]; then
  WRK_SCRIPT=(-s reference-server/load/post-story.lua)
fi
echo "endpoint: ${ENDPOINT:-post} ${TARGET[$OFF_PORT]} (off), ${TARGET[$ON_PORT]} (on); trace header: ${TRACE_HEADER:-none}"
HZ=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # the server's user + system time, all its threads
run() { # port, seconds, server pid -> "requests/s CPU-µs-per-request" (the server's CPU time over the requests served)
  local before out after
  before=$(cpu_ticks "$3")
  out=$("${LOAD_ON[@]}" wrk -t2 -c"$CONNECTIONS" -d"${2}s" --timeout 10s "${WRK_SCRIPT[@]}" "http://127.0.0.1:$1${TARGET[$1]}")
  after=$(cpu_ticks "$3")
  grep -E 'Non-2xx|Socket errors' <<<"$out" >&2 || true
  awk -v t=$((after - before)) -v hz="$HZ" '/requests in/ {n = $1} /^Requests\/sec/ {r = $2}
    END {printf "%s %.1f\n", r, t * 1e6 / hz / n}' <<<"$out"
}
echo "warming up (${WARMUP:-20} s each)..."
run "$OFF_PORT" "${WARMUP:-20}" "$OFF_PID" >/dev/null; run "$ON_PORT" "${WARMUP:-20}" "$ON_PID" >/dev/null

off=(); on=(); ratios=(); off_cpu=(); on_cpu=(); cpu_ratios=()
for i in $(seq "$ROUNDS"); do
  # The order flips every round, so neither server always runs right after the other.
  if (( i % 2 )); then
    read -r r_off c_off <<<"$(run "$OFF_PORT" "$SECONDS_PER_ROUND" "$OFF_PID")"
    read -r r_on c_on <<<"$(run "$ON_PORT" "$SECONDS_PER_ROUND" "$ON_PID")"
  else
    read -r r_on c_on <<<"$(run "$ON_PORT" "$SECONDS_PER_ROUND" "$ON_PID")"
    read -r r_off c_off <<<"$(run "$OFF_PORT" "$SECONDS_PER_ROUND" "$OFF_PID")"
  fi
  off+=("$r_off"); on+=("$r_on"); off_cpu+=("$c_off"); on_cpu+=("$c_on")
  ratios+=("$(awk -v a="$r_on" -v b="$r_off" 'BEGIN {printf "%.3f", a / b}')")
  cpu_ratios+=("$(awk -v a="$c_off" -v b="$c_on" 'BEGIN {printf "%.3f", a / b}')")
  echo "round $i: off $r_off req/s ($c_off µs CPU/request), on ($LABEL) $r_on req/s ($c_on µs CPU/request)," \
    "on/off req/s ${ratios[-1]}, off/on CPU per request ${cpu_ratios[-1]}"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
m_off=$(median "${off[@]}"); m_on=$(median "${on[@]}")
echo "median req/s: off $m_off, on ($LABEL) $m_on, on/off $(awk -v a="$m_on" -v b="$m_off" 'BEGIN {printf "%.3f", a / b}')"
# Each round's two figures are seconds apart; on a machine whose load moves, their ratio is the steadier figure.
echo "median of the per-round on/off req/s ratios: $(median "${ratios[@]}")"
# How far that median can be trusted: the rounds swing by several per cent here, so a 95 % interval
# of it (load/median-interval.py) says whether a difference of a few per cent is
# resolved at all.
python3 reference-server/load/median-interval.py "on/off req/s per round, bootstrap over the rounds" "${ratios[@]}"
# The server's CPU time per request depends less on how much of the machine it got than req/s do
# (though contention raises it too): off/on of it is what on/off req/s would be when CPU-bound.
echo "median CPU µs per request: off $(median "${off_cpu[@]}"), on ($LABEL) $(median "${on_cpu[@]}");" \
  "median of the per-round off/on CPU ratios: $(median "${cpu_ratios[@]}")"
if [ -n "${JFR:-}" ]; then
  for side in off on; do
    if [ $side = off ]; then port=$OFF_PORT pid=$OFF_PID; else port=$ON_PORT pid=$ON_PID; fi
    jcmd "$pid" JFR.start name=share settings=profile >/dev/null
    run "$port" "$JFR" "$pid" >/dev/null
    jcmd "$pid" JFR.stop name=share filename="$OUT/$side.jfr" >/dev/null
  done
  python3 reference-server/load/tracing-share.py "$OUT/off.jfr" "$OUT/on.jfr"
fi
if [ -n "${PROFILE:-}" ]; then
  lib=${ASYNC_PROFILER_LIB:-}
  if [ -z "$lib" ]; then
    version=$(sed -n 's:.*<async-profiler.version>\(.*\)</async-profiler.version>.*:\1:p' pom.xml)
    mvn -q -B dependency:copy -Dartifact="tools.profiler:async-profiler:$version:jar:linux-x64" \
      -DoutputDirectory="$OUT/profiler" >/dev/null
    (cd "$OUT/profiler" && unzip -q -o "async-profiler-$version-linux-x64.jar" 'linux-x64/*')
    lib="$OUT/profiler/linux-x64/libasyncProfiler.so"
  fi
  profiler() { # pid, command: the options are one quoted argument, or jcmd would split them at '='
    jcmd "$1" JVMTI.agent_load "$lib" "\"$2\"" >/dev/null
  }
  for side in off on; do
    if [ $side = off ]; then port=$OFF_PORT pid=$OFF_PID; else port=$ON_PORT pid=$ON_PID; fi
    profiler "$pid" "start,event=cpu,interval=1ms,threads"
    read -r r c <<<"$(run "$port" "$PROFILE" "$pid")"
    echo "profiled $side: $r req/s, $c µs CPU/request"
    profiler "$pid" "stop,collapsed,file=$OUT/$side.collapsed"
  done
  python3 reference-server/load/tracing-share.py "$OUT/off.collapsed" "$OUT/on.collapsed"
  cp "$OUT/off.collapsed" "$OUT/on.collapsed" "${PROFILE_DIR:-$OUT}/" 2>/dev/null || true
fi
tail -n1 "$OUT/sink.log" || true
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
