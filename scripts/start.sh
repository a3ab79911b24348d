#!/usr/bin/env bash
# `npm start`: install what is missing, build, and open VS Code with the extension loaded as a
# development extension.
#  - Desktop VS Code (a `code` command on PATH): `code --extensionDevelopmentPath=$PWD`.
#  - Otherwise (or ECS_HANDSON_CODE_SERVER=1): code-server on 127.0.0.1 — port ECS_HANDSON_PORT or
#    8080, a free one when that is taken — with a persistent profile under .cache/vscode/ in which
#    this checkout is installed as the extension (a link: after `npm run build`, Developer: Reload
#    Window picks up the change). Prints the short URL and what to do, and runs until Ctrl-C. On the
#    profile's first start the extension opens the ECS view and the hands-on by itself.
# Environment: ECS_HANDSON_PORT, ECS_HANDSON_FOLDER (folder to open; default .cache/workspace),
#   ECS_HANDSON_CODE_SERVER=1 (use code-server even when `code` exists),
#   ECS_HANDSON_SKIP_SETUP=1 (skip scripts/setup.sh), ECS_HANDSON_LOCALE (e.g. ja).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

if [[ ${ECS_HANDSON_SKIP_SETUP:-} != 1 ]]; then
  bash scripts/setup.sh
fi
state=$root/.cache/vscode
mkdir -p "$state"
# The bundle sizes are in the log; only a failure is printed.
npm run --silent build >"$state/build.log" 2>&1 || { cat "$state/build.log" >&2; echo "start: the build failed (log: .cache/vscode/build.log)" >&2; exit 1; }

folder=${ECS_HANDSON_FOLDER:-$root/.cache/workspace}
mkdir -p "$folder"
folder=$(cd "$folder" && pwd)

if [[ ${ECS_HANDSON_CODE_SERVER:-} != 1 ]] && command -v code >/dev/null 2>&1; then
  echo "start: opening desktop VS Code with the extension (development mode)"
  exec code --new-window --extensionDevelopmentPath="$root" "$folder"
fi

# ---- code-server ----
bash scripts/install-code-server.sh >/dev/null  # quick when installed; needed if setup was skipped
bin=$root/.cache/code-server/node_modules/.bin/code-server
mkdir -p "$state/user-data/User" "$state/extensions"
# This checkout as the profile's installed extension: a link in the extensions folder and its entry
# in extensions.json (other extensions the user installed are kept). So the URL needs no payload.
# Touching the folder makes code-server scan the manifests again (it caches them by its mtime).
node -e '
  const fs = require("fs"), path = require("path");
  const [dir, root] = process.argv.slice(1);
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  const id = `${pkg.publisher}.${pkg.name}`;
  const rel = `${id}-${pkg.version}`;
  const list = path.join(dir, "extensions.json");
  let entries = [];
  try { entries = JSON.parse(fs.readFileSync(list, "utf8")); } catch {}
  for (const e of fs.readdirSync(dir)) {
    const p = path.join(dir, e);
    if (e.startsWith(`${id}-`) && fs.lstatSync(p).isSymbolicLink()) fs.unlinkSync(p);
  }
  fs.symlinkSync(root, path.join(dir, rel));
  entries = entries.filter((e) => e.identifier?.id?.toLowerCase() !== id.toLowerCase());
  entries.push({ identifier: { id }, version: pkg.version, location: { $mid: 1, path: path.join(dir, rel), scheme: "file" }, relativeLocation: rel, metadata: { installedTimestamp: Date.now(), source: "vsix" } });
  fs.writeFileSync(list, JSON.stringify(entries));
' "$state/extensions" "$root"
touch "$state/extensions"
# Defaults for the persistent profile; settings the user changed are kept.
node -e '
  const fs = require("fs");
  const file = process.argv[1];
  let cur = {};
  if (fs.existsSync(file)) {
    try { cur = JSON.parse(fs.readFileSync(file, "utf8")); } catch { process.exit(0); } // JSONC: leave it
  }
  const defaults = {
    "security.workspace.trust.enabled": false,
    "workbench.startupEditor": "none",
    "git.openRepositoryInParentFolders": "never",
    "telemetry.telemetryLevel": "off",
    "extensions.autoCheckUpdates": false,
    "extensions.autoUpdate": false,
  };
  fs.writeFileSync(file, JSON.stringify({ ...defaults, ...cur }, null, 2));
' "$state/user-data/User/settings.json"

# The requested port when it is free, else any free one.
port=$(node -e '
  const net = require("net");
  const want = Number(process.argv[1]);
  const listen = (p, next) => {
    const s = net.createServer();
    s.once("error", next);
    s.listen(p, "127.0.0.1", () => { const got = s.address().port; s.close(() => console.log(got)); });
  };
  listen(want, () => listen(0, (e) => { console.error(e.message); process.exit(1); }));
' "${ECS_HANDSON_PORT:-8080}")
if [[ $port != "${ECS_HANDSON_PORT:-8080}" && ${ECS_HANDSON_PORT:-8080} != 0 ]]; then
  echo "start: port ${ECS_HANDSON_PORT:-8080} is taken; using $port"
fi

config=$state/config.yaml
printf 'bind-addr: 127.0.0.1:%s\nauth: none\ncert: false\n' "$port" >"$config"
log=$state/code-server.log
args=(--auth none --bind-addr "127.0.0.1:$port" --user-data-dir "$state/user-data"
  --extensions-dir "$state/extensions" --config "$config" --disable-telemetry
  --disable-update-check --disable-workspace-trust --disable-getting-started-override)
[[ -n ${ECS_HANDSON_LOCALE:-} ]] && args+=(--locale "$ECS_HANDSON_LOCALE")
# The folder to open when the URL names none (http://127.0.0.1:PORT/ goes to the last one opened, or this).
args+=("$folder")

# Its own process group (setsid), so stopping it stops the extension host and everything else
# it started.
setsid "$bin" "${args[@]}" >"$log" 2>&1 &
pid=$!
stop() {
  trap - INT TERM EXIT
  if kill -0 "$pid" 2>/dev/null; then
    echo
    echo "start: stopping code-server"
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

for _ in $(seq 300); do
  grep -q 'HTTP server listening on' "$log" 2>/dev/null && break
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "start: code-server exited; its log ($log):" >&2
    tail -n 40 "$log" >&2
    exit 1
  fi
  sleep 0.1
done
grep -q 'HTTP server listening on' "$log" || { echo "start: code-server did not start in 30 s; see $log" >&2; exit 1; }

echo "start: ECS Hands-on is ready at http://127.0.0.1:$port/"
echo "start: open it in a browser (or through an SSH tunnel to port $port) and follow \"Start the hands-on\"; Ctrl-C stops (log: .cache/vscode/code-server.log)"
wait "$pid"
