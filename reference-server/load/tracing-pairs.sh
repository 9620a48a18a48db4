#!/usr/bin/env bash
# tracing-overhead.sh on several pairs of fresh JVMs, pooled: which JVM of a pair compiled what
# best moves its rate by a few per cent, so one pair's rounds are not enough to tell 3 % apart.
# Prints each pair's median per-round on/off ratio, then the median of all rounds of all pairs with
# a 95 % interval (bootstrap over the rounds). The environment is passed on (ENDPOINT, TRACE_HEADER,
# PIN, WARMUP, RATIO, JAR, ...).
#
# Usage: reference-server/load/tracing-pairs.sh [pairs=3] [rounds=12] [seconds=8] [connections=32]
set -euo pipefail
cd "$(dirname "$0")/../.."
PAIRS=${1:-3}
OUT=$(mktemp -d)
for pair in $(seq "$PAIRS"); do
  reference-server/load/tracing-overhead.sh "${2:-12}" "${3:-8}" "${4:-32}" | tee "$OUT/pair$pair.log" \
    | grep -E '^(endpoint|median of the per-round|on/off req/s per round)' | sed "s/^/pair $pair: /"
done
python3 reference-server/load/median-interval.py "all pairs, on/off req/s per round" --logs "$OUT"/pair*.log
