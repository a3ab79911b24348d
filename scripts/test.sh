#!/usr/bin/env bash
# The project's test command (`npm test`): installs what is missing, packages the extension once
# (vsce runs vscode:prepublish: the type check and the production build), builds the development
# bundles, then runs four lanes side by side:
#   checks:      the lint and the unit tests (side by side), then the integration suite (mocha --parallel)
#   walkthrough: the walkthrough end-to-end test (the whole hands-on in a browser)
#   vscode:      the extension-host suite in code-server (English, then Japanese), the rollout e2e
#   browser:     the other browser end-to-end tests
# code-server installs (setup) while the packaging and the checks lane run: only the lanes that use
# it wait for it. Most of the browser lanes' time is spent waiting on the sandbox's simulated clock
# and on the workbench, not on the CPU.
# Each lane's output is printed when it ends (prefixed, so the CI log stays readable), then a
# summary with every lane's and every suite's time.
# ECS_HANDSON_TEST_SERIAL=1 runs everything one after the other, printing as it goes.
set -euo pipefail
# The SDK warns that its 2027 releases need Node 22; VS Code 1.99 and code-server 4.99 run Node 20.
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
cd "$(dirname "$0")/.."
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
# the type check (src and webview) and the production build.
export ECS_HANDSON_E2E_VSIX=$vsix_dir/ecs-handson.vsix
timed 'package (type check + production build)' npx vsce package --no-dependencies --allow-missing-repository --out "$ECS_HANDSON_E2E_VSIX" >/dev/null
# Development bundles (with source maps) for the suites that load dist/ directly; the test bundle.
timed build npm run --silent build
# Real VS Code (code-server + headless Chromium) never skips: a missing code-server or Chromium fails.
node esbuild.tests.mjs >/dev/null

# A lane runs all its suites even when one fails (so one CI run reports every failure) and fails
# if any did.
checks() {
  local rc=0 lint_pid
  # Lint and the unit tests side by side (one core each) before the integration suite: beside the
  # sandbox's task processes they slowed them and the unit tests' own timing checks.
  timed lint npm run --silent lint &
  lint_pid=$!
  timed unit npx mocha --config .mocharc.unit.json --reporter dot || rc=1
  wait "$lint_pid" || rc=1
  timed integration npx mocha --config .mocharc.integration.json --parallel --jobs 2 || rc=1
  return $rc
}

walkthrough() {
  code_server_ready || return 1
  timed 'e2e walkthrough' npx tsx test/e2e/walkthrough.e2e.ts
}

vscode() {
  local rc=0
  code_server_ready || return 1
  timed 'vscode (en)' npx tsx test/vscode/run-code-server.ts || rc=1
  # Japanese: the suites that check what the user reads (the others assert English messages).
  timed 'vscode (ja)' npx tsx test/vscode/run-code-server.ts --locale ja --grep 'extension|rollout status bar|walkthrough panel' || rc=1
  timed 'e2e rollout' npx tsx test/e2e/rollout.e2e.ts || rc=1
  return $rc
}

browser() {
  local rc=0 f
  code_server_ready || return 1
  for f in test/e2e/*.e2e.ts; do
    case $f in test/e2e/walkthrough.e2e.ts | test/e2e/rollout.e2e.ts) continue ;; esac
    timed "e2e $(basename "$f" .e2e.ts)" npx tsx "$f" || rc=1
  done
  return $rc
}

lanes=(checks walkthrough vscode browser)
names=(checks walkthrough vscode browser)
summary() { # exit status
  echo
  echo "Suite times (wall):"
  sed 's/^/  /' "$timings"
  echo "npm test: $([[ $1 == 0 ]] && echo 'all suites passed' || echo 'FAILED') in $((SECONDS - started)) s"
}

if [[ ${ECS_HANDSON_TEST_SERIAL:-} == 1 ]]; then
  rc=0
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

failed=0
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
