#!/usr/bin/env bash
# The cluster test: three StoryMagic server processes on the local PostgreSQL and Redis behind
# HAProxy (health-checked on /health like the ALB target group) with a slow stand-in for the OpenAI
# API. ClusterRun checks single flight across nodes, the cluster-wide rate limit, idempotent retries
# on another node, a rolling restart under load and a node killed with SIGKILL, then prints a table.
#
#   reference-server/cluster/run.sh          # from the repository root; at most 5 minutes
#
# Needs: haproxy (Debian package), PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379.
# Everything binds to 127.0.0.1; processes, the schema, Redis keys and temporary files are removed
# on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."

LIMIT_SECONDS=${CLUSTER_TEST_SECONDS:-300}
command -v haproxy >/dev/null || { echo "ERROR: the cluster test needs HAProxy: apt-get install -y haproxy" >&2; exit 1; }

echo "==> compiling the server and its tests, and writing their classpath"
mvn -q -B -pl reference-server -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/cluster.classpath
CLASSPATH="reference-server/target/test-classes:reference-server/target/classes:$(cat reference-server/target/cluster.classpath)"

echo "==> running the cluster (limit ${LIMIT_SECONDS}s)"
# Its own process group, so that whatever happens every server and HAProxy it started is stopped.
setsid timeout -k 15 "$LIMIT_SECONDS" java -Xmx768m -cp "$CLASSPATH" dev.storymagic.server.ClusterRun &
DRIVER=$!
cleanup() { kill -- "-$DRIVER" 2>/dev/null || true; }
trap cleanup EXIT INT TERM
set +e
wait "$DRIVER"
STATUS=$?
set -e
if [ "$STATUS" -eq 124 ]; then
  echo "ERROR: the cluster test did not finish within ${LIMIT_SECONDS}s" >&2
fi
exit "$STATUS"
