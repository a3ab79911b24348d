#!/usr/bin/env bash
# Runs the benchmarks. Each prints its numbers side by side (ratios measured in the same run), so
# results on these noisy machines compare within a run, not across runs.
#   npm run bench            all of them
#   npm run bench -- engine  only those whose file name contains "engine"
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent build >/dev/null
filter=${1:-}
status=0
for f in bench/*.bench.ts; do
  [[ -n $filter && $f != *"$filter"* ]] && continue
  echo "=== $f"
  npx tsx "$f" || status=1
done
exit $status
