#!/usr/bin/env bash
# Runs every offline check of the StoryMagic Terraform code and delivery scripts:
#   - formatting, by `terraform fmt -check -recursive` (Terraform 1.11 on PATH or in /usr/local/bin);
#   - HCL parsing (HashiCorp's parser compiled to WebAssembly), block labels, references,
#     module calls, declarations;
#   - every aws_* type, argument and nested block against the pinned AWS provider schema;
#   - security and deployment policies per environment;
#   - module READMEs in sync with the modules;
#   - the progressive blue-green deploy script against a recording stand-in for the AWS CLI.
# Needs node >= 20 and npm (installs its pinned dependencies from package-lock.json) and the terraform
# binary for the format check (no provider, no state, no AWS account).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$here"

if [ ! -d node_modules/@cdktn/hcl2json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

results="$here/.results"
mkdir -p "$results"
tap="$results/tap.txt"

status=0
node --test --test-reporter=tap \
  "$here"/tests/*.test.mjs \
  "$repo"/deploy/test/deploy.test.mjs >"$tap" 2>&1 || status=$?
cat "$tap"

passed=$(awk '/^# pass /{print $3}' "$tap" | tail -n1)
failed=$(awk '/^# fail /{print $3}' "$tap" | tail -n1)
passed=${passed:-0}
failed=${failed:-0}

# Formatting is terraform's own: `terraform fmt` needs neither providers nor state.
terraform_bin=$(command -v terraform || true)
if [ -z "$terraform_bin" ] && [ -x /usr/local/bin/terraform ]; then
  terraform_bin=/usr/local/bin/terraform
fi
if [ -z "$terraform_bin" ]; then
  echo "not ok - terraform fmt: the terraform binary (1.11) is not installed; it is needed for the format check"
  failed=$((failed + 1))
elif "$terraform_bin" fmt -check -recursive -diff "$repo/terraform"; then
  echo "ok - terraform fmt -check -recursive ($("$terraform_bin" version | head -n1))"
  passed=$((passed + 1))
else
  echo "not ok - terraform fmt: the files above are not formatted; run terraform fmt -recursive terraform"
  failed=$((failed + 1))
fi

# Generated module documentation must match the modules.
if node scripts/module-docs.mjs --check; then
  passed=$((passed + 1))
else
  echo "not ok - module READMEs are out of date: run node terraform/test/scripts/module-docs.mjs"
  failed=$((failed + 1))
fi

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "the test runner exited with status $status"
  failed=1
fi
if [ "$passed" -eq 0 ]; then
  echo "no test ran"
  failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
