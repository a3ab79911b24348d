#!/usr/bin/env bash
# The project's test command (`npm test`): installs what is missing (code-server goes on installing
# in the background), then three things side by side: packaging the extension once (vsce runs
# vscode:prepublish: the type check and the production build) followed by the development bundles,
# the lint, the unit tests. Then three lanes side by side, each starting its browser tests as soon
# as code-server is in:
#   integration-rollout:   the integration suite (mocha --parallel), the rollout e2e
#   walkthrough-rightclick: the walkthrough e2e, the right-click / first-screen e2e
#   vscode:                the extension-host suite in code-server (English, then Japanese), the
#                          walkthrough keyboard e2e, the explorer e2e
# (Clean clone, quiet machine: 684 s in all; lanes 558 / 433 / 419 s with the explorer e2e in the
# first; the integration suite takes about twice its time alone beside two browser lanes.)
# Most of the lanes' time is spent waiting on the sandbox's simulated clock and the workbench, not
# on the CPU; the lanes are balanced by their wall time (printed at the end).
# Each lane's output is printed when it ends (prefixed, so the CI log stays readable), then a
# summary with every lane's and every suite's time.
# ECS_HANDSON_TEST_SERIAL=1 runs everything one after the other, printing as it goes.
set -euo pipefail
# The SDK warns that its 2027 releases need Node 22; VS Code 1.99 and code-server 4.99 run Node 20.
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
cd "$(dirname "$0")/.."
# Every e2e script runs in one lane (a new one must be added to a lane).
for f in test/e2e/*.e2e.ts; do
  grep -q "test/e2e/$(basename "$f")" scripts/test.sh || { echo "npm test: $f is in no lane of scripts/test.sh" >&2; exit 1; }
done

started=$SECONDS
timings=$(mktemp)
vsix_dir=$(mktemp -d)
trap 'rm -rf "$timings" "$vsix_dir"' EXIT
# timed NAME COMMAND...: runs it, notes its wall time for the summary.
timed() {
  local name=$1 t0=$SECONDS rc=0
  shift
  "$@" || rc=$?
  echo "$name $((SECONDS - t0)) s$([[ $rc == 0 ]] || echo " (FAILED, exit $rc)")" >>"$timings"
  return $rc
}

# code-server's install goes on in the background (its status and log in $code_server_status*).
code_server_status=$vsix_dir/code-server-status
SETUP_CODE_SERVER_STATUS=$code_server_status timed setup bash scripts/setup.sh
# Waits for code-server's install (it went on after setup); fails with its log if it failed.
code_server_ready() {
  local t0=$SECONDS
  while [[ ! -s $code_server_status ]]; do sleep 1; done
  if [[ $(cat "$code_server_status") != 0 ]]; then
    echo "setup: code-server FAILED:" >&2
    sed 's/^/setup: [code-server] /' "$code_server_status.log" >&2
    return 1
  fi
  tail -n 1 "$code_server_status.log" | sed 's/^/setup: [code-server] /'
  echo "code-server install (after setup; waited $((SECONDS - t0)) s) done" >>"$timings"
}

# One .vsix for every browser test (they install it as a user would). vsce runs vscode:prepublish:
# the type check (src and webview) and the production build. Then the development bundles (with
# source maps) for the suites that load dist/ directly, and the test bundle. Beside it: the lint
# and the unit tests. (A failure here fails npm test at the end; the lanes still run when the
# bundles were built, so one CI run reports everything.)
export ECS_HANDSON_E2E_VSIX=$vsix_dir/ecs-handson.vsix
bundles() {
  timed 'package (type check + production build)' npx vsce package --no-dependencies --allow-missing-repository --out "$ECS_HANDSON_E2E_VSIX" >/dev/null || return 1
  timed build npm run --silent build >/dev/null || return 1
  node esbuild.tests.mjs >/dev/null
}
checks_logs=$(mktemp -d)
bundles >"$checks_logs/bundles" 2>&1 &
bundles_pid=$!
timed lint npm run --silent lint >"$checks_logs/lint" 2>&1 &
lint_pid=$!
checks_failed=0
timed unit npx mocha --config .mocharc.unit.json --reporter dot >"$checks_logs/unit" 2>&1 || checks_failed=1
wait "$lint_pid" || checks_failed=1
bundles_ok=1
wait "$bundles_pid" || { checks_failed=1; bundles_ok=0; }
cat "$checks_logs/bundles" "$checks_logs/lint" "$checks_logs/unit"
rm -rf "$checks_logs"
if ((!bundles_ok)); then
  echo "npm test: the extension did not package or build; the suites need it" >&2
  exit 1
fi

# A lane runs all its suites even when one fails (so one CI run reports every failure) and fails
# if any did.
lane1() {
  local rc=0
  timed integration npx mocha --config .mocharc.integration.json --parallel --jobs 2 || rc=1
  code_server_ready || return 1
  timed 'e2e rollout' npx tsx test/e2e/rollout.e2e.ts || rc=1
  return $rc
}

lane2() {
  local rc=0
  code_server_ready || return 1
  timed 'e2e walkthrough' npx tsx test/e2e/walkthrough.e2e.ts || rc=1
  timed 'e2e rightclick' npx tsx test/e2e/rightclick.e2e.ts || rc=1
  return $rc
}

lane3() {
  local rc=0
  code_server_ready || return 1
  timed 'vscode (en)' npx tsx test/vscode/run-code-server.ts || rc=1
  # Japanese: the suites that check what the user reads (the others assert English messages).
  timed 'vscode (ja)' npx tsx test/vscode/run-code-server.ts --locale ja --grep '^(ECS Hands-on extension|rollout status bar|walkthrough panel) ' || rc=1
  timed 'e2e walkthrough-keyboard' npx tsx test/e2e/walkthrough-keyboard.e2e.ts || rc=1
  timed 'e2e explorer' npx tsx test/e2e/explorer.e2e.ts || rc=1
  return $rc
}

lanes=(lane1 lane2 lane3)
names=(integration-rollout walkthrough-rightclick vscode)
summary() { # exit status
  echo
  echo "Suite times (wall):"
  sed 's/^/  /' "$timings"
  echo "npm test: $([[ $1 == 0 ]] && echo 'all suites passed' || echo 'FAILED') in $((SECONDS - started)) s"
}

if [[ ${ECS_HANDSON_TEST_SERIAL:-} == 1 ]]; then
  rc=$checks_failed
  for lane in "${lanes[@]}"; do "$lane" || rc=1; done
  summary $rc
  exit $rc
fi

logs=$(mktemp -d)
trap 'rm -rf "$logs" "$timings" "$vsix_dir"' EXIT
run_lane() { # name function
  local t0=$SECONDS status=0
  "$2" >"$logs/$1.log" 2>&1 || status=$?
  echo "$status $((SECONDS - t0))" >"$logs/$1.status"
}
echo "Running the lanes ${names[*]} side by side…"
pids=()
for i in "${!lanes[@]}"; do
  run_lane "${names[$i]}" "${lanes[$i]}" &
  pids+=($!)
done
wait "${pids[@]}" || true

failed=$checks_failed
for lane in "${names[@]}"; do
  read -r status secs <"$logs/$lane.status" || { status=1; secs='?'; }
  echo
  echo "=================== lane $lane: $([[ $status == 0 ]] && echo passed || echo "FAILED (exit $status)") in $secs s"
  sed "s/^/[$lane] /" "$logs/$lane.log"
  [[ $status == 0 ]] || failed=1
done
echo
for lane in "${names[@]}"; do
  read -r status secs <"$logs/$lane.status" || { status=1; secs='?'; }
  echo "lane $lane: $([[ $status == 0 ]] && echo passed || echo FAILED) ($secs s)"
done
summary $failed
exit "$failed"
