#!/usr/bin/env bash
# Installs code-server 4.99.4 (VS Code 1.99.3 — the last line that runs on Node 20) and
# playwright-core into .cache/code-server (git-ignored, never packaged), plus the Debian packages
# the real-VS-Code tests need: chromium (headless browser), libkrb5-dev (gssapi headers for a
# native module of VS Code), ripgrep (replaces the binary @vscode/ripgrep would download from
# GitHub) and fonts-ipafont-gothic (Japanese glyphs for the ja screenshots). Only the npm registry
# and Debian are used.
#
# Usage: bash scripts/install-code-server.sh [DIR]     (DIR defaults to .cache/code-server)
# Idempotent: prints one line and exits when that version is already installed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${1:-$root/.cache/code-server}"
version=4.99.4

installed_version() {
  node -p "try { require('$dir/node_modules/code-server/package.json').version } catch { '' }" 2>/dev/null || true
}

need=()
# scripts/setup.sh installs the Debian packages itself (INSTALL_CODE_SERVER_SKIP_DEBS=1) while this runs.
if [[ ${INSTALL_CODE_SERVER_SKIP_DEBS:-} != 1 ]]; then
  for p in chromium libkrb5-dev ripgrep fonts-ipafont-gothic; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
fi

# Written only after a complete install (an interrupted postinstall leaves code-server unusable).
stamp=$dir/.installed-code-server-$version
if ((${#need[@]} == 0)) && [[ -f $stamp && $(installed_version) == "$version" ]] \
  && [[ -x $dir/node_modules/.bin/code-server && -f $dir/node_modules/playwright-core/package.json ]]; then
  echo "install-code-server: code-server $version already installed in ${dir#"$root/"}"
  exit 0
fi

if ((${#need[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "install-code-server: missing Debian packages: ${need[*]} (run as root or: sudo apt-get install ${need[*]})" >&2
    exit 1
  fi
  echo "install-code-server: installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# Seed @vscode/ripgrep's download cache with Debian's rg so its postinstall never goes online.
cache="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-1.15.11"
asset="$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [[ ! -f $asset ]]; then
  tmp=$(mktemp -d)
  cp "$(command -v rg)" "$tmp/rg"
  mkdir -p "$cache"
  tar czf "$asset" -C "$tmp" rg
  rm -rf "$tmp"
fi

echo "install-code-server: installing code-server $version into ${dir#"$root/"} (about a minute)"
mkdir -p "$dir"
cd "$dir"
[[ -f package.json ]] || echo '{"private":true,"description":"code-server for the ECS Hands-on VS Code tests; not part of the extension"}' > package.json
# --unsafe-perm=true: code-server's postinstall refuses to run as root without it (npm 11 warns
# that it does not know the option, but still passes it on as npm_config_unsafe_perm);
# npm_config_yes: node-pty's postinstall calls `npx node-gyp` without --yes.
# The native modules the tests never load are not compiled (see scripts/node-gyp-for-tests.cjs):
# npm runs `node-gyp` from the first node_modules/.bin above the package being built, before its
# own, so that file stands in as node-gyp for everything installed here (for this install only).
gyp_shim=$dir/node_modules/.bin/node-gyp
mkdir -p "$(dirname "$gyp_shim")"
ln -sf "$root/scripts/node-gyp-for-tests.cjs" "$gyp_shim"
trap 'rm -f "$gyp_shim"' EXIT
npm_config_yes=true npm install --no-audit --no-fund --save-exact --unsafe-perm=true \
  "code-server@$version" playwright-core
if [[ $(installed_version) != "$version" || ! -x $dir/node_modules/.bin/code-server ]]; then
  echo "install-code-server: code-server $version did not install into $dir" >&2
  exit 1
fi
touch "$stamp"
# (not `code-server --version`: it writes ~/.config/code-server/config.yaml)
echo "install-code-server: code-server $version installed in ${dir#"$root/"}"
