#!/usr/bin/env bash
# Installs everything the project needs on a fresh Debian 12 machine: Debian packages (the AWS CLI,
# ab, nginx, curl, Chromium, Japanese fonts and what code-server builds with), the npm packages,
# and code-server for the real-VS-Code tests (outside the extension's node_modules).
# Idempotent and quick when everything is there already.
#
# On a fresh machine the three installs overlap: `npm ci` starts at once; code-server's install
# starts as soon as the two Debian packages it builds with are in (libkrb5-dev: gssapi headers of a
# native module; ripgrep: seeds @vscode/ripgrep's download); the big Debian packages (Chromium, the
# AWS CLI) install meanwhile. Each prints its log when it fails.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS

first=(libkrb5-dev ripgrep)
rest=(awscli apache2-utils nginx curl chromium fonts-ipafont-gothic)
missing() { local p; for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done; }
mapfile -t need_first < <(missing "${first[@]}")
mapfile -t need_rest < <(missing "${rest[@]}")
need=("${need_first[@]}" "${need_rest[@]}")
if ((${#need[@]})) && [[ $(id -u) -ne 0 ]]; then
  echo "setup: missing Debian packages: ${need[*]} (run as root or: sudo apt-get install ${need[*]})" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt_install() { apt-get install -y -qq --no-install-recommends "$@" >/dev/null; }

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
pids=()
names=()
background() { # name command...
  local name=$1
  shift
  "$@" >"$logs/$name.log" 2>&1 &
  pids+=($!)
  names+=("$name")
}

# npm packages: when node_modules is missing or older than the lock file.
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "setup: npm ci"
  background npm-ci npm ci --no-audit --no-fund
fi

if ((${#need[@]})); then
  echo "setup: installing Debian packages: ${need[*]}"
  apt-get update -qq
  ((${#need_first[@]} == 0)) || apt_install "${need_first[@]}"
fi

# code-server + playwright-core for the VS Code and browser tests (its script leaves the Debian
# packages to this one: two apt-gets at once would fight over dpkg's lock).
# With SETUP_CODE_SERVER_STATUS=FILE it is left running when this script ends (npm test goes on
# with what needs no code-server): its exit status goes to FILE, its output to FILE.log.
if [[ -n ${SETUP_CODE_SERVER_STATUS:-} ]]; then
  rm -f "$SETUP_CODE_SERVER_STATUS"
  (
    rc=0
    INSTALL_CODE_SERVER_SKIP_DEBS=1 bash scripts/install-code-server.sh >"$SETUP_CODE_SERVER_STATUS.log" 2>&1 || rc=$?
    echo "$rc" >"$SETUP_CODE_SERVER_STATUS"
  ) </dev/null >/dev/null 2>&1 &
elif [[ ${SETUP_SKIP_CODE_SERVER:-} != 1 ]]; then
  background code-server env INSTALL_CODE_SERVER_SKIP_DEBS=1 bash scripts/install-code-server.sh
fi

((${#need_rest[@]} == 0)) || apt_install "${need_rest[@]}"

status=0
for i in "${!pids[@]}"; do
  if wait "${pids[$i]}"; then
    grep -v '^npm warn' "$logs/${names[$i]}.log" | tail -n 2 | sed "s/^/setup: [${names[$i]}] /"
  else
    status=1
    echo "setup: ${names[$i]} FAILED:" >&2
    sed "s/^/setup: [${names[$i]}] /" "$logs/${names[$i]}.log" >&2
  fi
done
((status == 0)) || exit 1
echo "setup: ready in $((SECONDS - started)) s"
