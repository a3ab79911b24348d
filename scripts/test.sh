#!/usr/bin/env bash
# The project's test command (`npm test`): installs what is missing, builds, type-checks, then runs
# the unit, integration, VS Code extension-host and browser end-to-end suites.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm run --silent build
npm run --silent typecheck
npx mocha --config .mocharc.unit.json
npx mocha --config .mocharc.integration.json
