#!/usr/bin/env node
// node-gyp for code-server's install (scripts/install-code-server.sh links it as node-gyp in the
// install's node_modules/.bin, which npm finds before its own): the native modules of VS Code that
// the tests never load are not compiled — spdlog (VS Code's own log files: the server runs without
// them), kerberos (proxy authentication) and the Windows-only ones, about 35 of the install's
// CPU-seconds. Everything else (node-pty for terminals, native-watchdog, …) is built by npm's own
// node-gyp.
'use strict';
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const NOT_BUILT = new Set(['@vscode/spdlog', 'kerberos', '@vscode/windows-process-tree', '@vscode/windows-registry', '@vscode/deviceid']);
const name = process.env.npm_package_name ?? '';
if (NOT_BUILT.has(name)) {
  console.log(`node-gyp: ${name} is not built (the tests do not load it)`);
  process.exit(0);
}
const npmRoot = execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim();
process.argv.splice(1, 1, path.join(npmRoot, 'npm/node_modules/node-gyp/bin/node-gyp.js'));
require(process.argv[1]);
