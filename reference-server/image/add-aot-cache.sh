#!/usr/bin/env bash
# Adds an ahead-of-time cache (Java 25) to the server's image, in the local Docker engine:
#   1. runs SOURCE_IMAGE once as a training run: StoryMagicServer --aot-training sends bursts of story
#      requests through a private copy of the server and a stand-in provider on loopback (no network:
#      nothing leaves the container), while the JVM records the cache (-XX:AOTCacheOutput);
#   2. builds TARGET_IMAGE FROM SOURCE_IMAGE with the cache as one more layer and an entrypoint that
#      starts the server's JVM with it (aot/Dockerfile);
#   3. starts TARGET_IMAGE's JVM with -XX:AOTMode=on, which refuses to start if the cache does not fit.
# The cache is only valid for the JVM build and class path that recorded it, so it is made from the
# very image it is added to. The training container gets the task's size (production: 1 vCPU,
# 2 GiB; TRAINING_CPUS, TRAINING_MEMORY), so the JVM's heap is sized as it will be on ECS.
#
# Usage: add-aot-cache.sh SOURCE_IMAGE TARGET_IMAGE
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 SOURCE_IMAGE TARGET_IMAGE" >&2
  exit 2
fi
source_image=$1
target_image=$2
here=$(cd "$(dirname "$0")" && pwd)
context=$(mktemp -d)
container="storymagic-aot-training-$$"
trap 'docker rm -f "$container" >/dev/null 2>&1 || true; rm -rf "$context"' EXIT

# A placeholder key: it only switches the model client on; the training's calls go to the stand-in.
docker run --name "$container" --network none \
  --cpus "${TRAINING_CPUS:-1}" --memory "${TRAINING_MEMORY:-2g}" \
  -e OPENAI_API_KEY=sk-aot-training-placeholder \
  -e JDK_JAVA_OPTIONS=-XX:AOTCacheOutput=/tmp/storymagic.aot \
  "$source_image" --aot-training
docker cp "$container:/tmp/storymagic.aot" "$context/storymagic.aot"
cp "$here/aot/Dockerfile" "$context/Dockerfile"
docker build --build-arg IMAGE="$source_image" --tag "$target_image" "$context"
docker run --rm --network none --entrypoint java "$target_image" \
  -XX:AOTCache=/app/aot/storymagic.aot -XX:AOTMode=on -cp @/app/jib-classpath-file -version
echo "$target_image: $source_image with its ahead-of-time cache ($(du -h "$context/storymagic.aot" | cut -f1))"
