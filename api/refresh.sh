#!/usr/bin/env bash
# Refreshes the API baselines the build compares each published library against (japicmp, phase
# verify). Run it only when a release deliberately changes the public API, and commit the result
# with a CHANGELOG entry that says what changed. Each baseline holds the class files of the public
# packages only: internal packages are not API and resources do not matter to the comparison.
set -euo pipefail
cd "$(dirname "$0")/.."
modules=(sdk-core sdk-openai sdk-store sdk-assets-s3 sdk-safety-ml spring-boot-starter)
[ "${1:-}" = --no-build ] || mvn -q -B -DskipTests -Djacoco.skip=true -Djapicmp.skip=true -pl "$(IFS=,; echo "${modules[*]}")" -am package
for module in "${modules[@]}"; do
  artifact=$(mvn -q -B -N -f "$module/pom.xml" -Dstyle.color=never help:evaluate -Dexpression=project.artifactId -DforceStdout | sed "s/\x1b\[[0-9;]*m//g")
  classes="$module/target/classes"
  list=$(cd "$classes" && find . -name '*.class' -not -path '*/internal/*' | sort)
  rm -f "api/$artifact.jar"
  # A fixed date keeps the jar identical when the classes are.
  # shellcheck disable=SC2086
  (cd "$classes" && jar --create --file "$OLDPWD/api/$artifact.jar" --date=2026-01-01T00:00:00Z --no-manifest $list)
  echo "api/$artifact.jar: $(echo "$list" | wc -l) classes"
done
