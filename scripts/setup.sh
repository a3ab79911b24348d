#!/usr/bin/env bash
# Installs everything the project needs on a fresh Debian 12 machine: Debian packages (the AWS CLI,
# ab, nginx, curl, and Chromium + the libraries code-server needs), the npm packages, and
# code-server for the real-VS-Code tests (outside the extension's node_modules).
# Idempotent and quick when everything is there already.
set -euo pipefail
cd "$(dirname "$0")/.."

debs=(awscli apache2-utils nginx curl chromium libkrb5-dev ripgrep)
need=()
for p in "${debs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
if ((${#need[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup: missing Debian packages: ${need[*]} (run as root or: sudo apt-get install ${need[*]})" >&2
    exit 1
  fi
  echo "setup: installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# npm packages: install when node_modules is missing or older than the lock file.
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund
fi

# code-server + playwright-core for the VS Code and browser tests.
if [[ ${SETUP_SKIP_CODE_SERVER:-} != 1 ]]; then
  bash scripts/install-code-server.sh
fi
