#!/usr/bin/env bash
# Prepares safety-eval/data from the public sources listed in SOURCES.md.
#
#   safety-eval/data/prepare.sh DAVIDSON TOXIGEN XSTEST GPTFUZZ SELF_INSTRUCT HH_RLHF TALES \
#       AILUMINATE SIMPLE_SAFETY_TESTS JAILBREAKING_LLMS
#
# Each argument is a clone (or bare mirror) of the repository named in SOURCES.md, checked out at
# the commit recorded there. The script builds safety-eval, writes the offline engine's stories,
# then runs prepare.py, which rewrites data/{train,validation,test}/*.jsonl and the generated part
# of SOURCES.md. Needs git, Java 17, Maven and Python 3.9+ (standard library only).
set -euo pipefail
if [ $# -ne 10 ]; then
  sed -n '2,11p' "$0" >&2
  exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Built in the reactor (not installed), so the stories come from this checkout's sdk-core.
(cd "$root" && mvn -q -B -pl sdk-core,safety-eval package -DskipTests)
(cd "$root" && mvn -q -B -pl sdk-core,safety-eval dependency:build-classpath -Dmdep.outputFile="$tmp/cp.txt")
java -cp "$root/safety-eval/target/classes:$root/sdk-core/target/classes:$(cat "$tmp/cp.txt")" \
  dev.storymagic.safety.eval.data.OfflineStories "$tmp/offline.jsonl" 900 20261130

python3 "$here/prepare.py" --davidson "$1" --toxigen "$2" --xstest "$3" --gptfuzz "$4" \
  --selfinstruct "$5" --hhrlhf "$6" --tales "$7" --ailuminate "$8" --sst "$9" --pair "${10}" --offline "$tmp/offline.jsonl" --out "$here"
