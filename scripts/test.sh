#!/usr/bin/env bash
# The project's test command (`npm test`): installs what is missing, builds, type-checks, then runs
# the unit, integration, VS Code extension-host and browser end-to-end suites.
set -euo pipefail
# The SDK warns that its 2027 releases need Node 22; VS Code 1.99 and code-server 4.99 run Node 20.
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm run --silent build
npm run --silent typecheck
npx mocha --config .mocharc.unit.json
npx mocha --config .mocharc.integration.json
# Real VS Code (code-server + headless Chromium): the extension-host suite in English and Japanese,
# then the browser end-to-end smoke test. These never skip: a missing code-server or Chromium fails.
node esbuild.tests.mjs
npx tsx test/vscode/run-code-server.ts
# Japanese: the suites that check what the user reads (the others assert English messages).
npx tsx test/vscode/run-code-server.ts --locale ja --grep 'extension|rollout status bar|walkthrough panel'
for f in test/e2e/*.e2e.ts; do npx tsx "$f"; done
