#!/usr/bin/env bash
# Installs a real VS Code (code-server 4.100.3, i.e. VS Code 1.100.3) plus
# playwright-core into a per-user cache ($RAMPART_VSCODE_HOST, default
# ~/.cache/rampart-learn/vscode-host-4.100.3) for the end-to-end tests, offline: only the
# npm registry and Debian packages are used (see docs/extension.md).
# Idempotent: a marker file records a finished install, so reruns are instant.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION=4.100.3
D="${RAMPART_VSCODE_HOST:-${XDG_CACHE_HOME:-$HOME/.cache}/rampart-learn/vscode-host-$VERSION}"
MARKER="$D/.installed-code-server-$VERSION"

if [ -f "$MARKER" ]; then
  echo "code-server $VERSION already installed in $D"
  exit 0
fi

# Test files run in parallel and each may ask for the host: one installs, the
# others wait for it (two native builds in one folder break each other).
mkdir -p "$(dirname "$D")"
exec 9>"$D.lock"
flock 9
if [ -f "$MARKER" ]; then
  echo "code-server $VERSION installed in $D by another run"
  exit 0
fi
# A run cut off halfway leaves a folder that npm cannot repair: start over.
rm -rf "$D"

# The system packages come from the shared script (no-op when present).
bash "$ROOT/scripts/install-system-deps.sh"

mkdir -p "$D"
cd "$D"
[ -f package.json ] || echo '{ "name": "vscode-host", "private": true }' > package.json
npm install --no-audit --no-fund --ignore-scripts "code-server@$VERSION"

cd node_modules/code-server/lib/vscode
npm install --omit=dev --ignore-scripts --no-audit --no-fund
# @vscode/ripgrep's postinstall would download rg from GitHub; use Debian's.
mkdir -p node_modules/@vscode/ripgrep/bin
cp /usr/bin/rg node_modules/@vscode/ripgrep/bin/rg
# Native modules build from source; npx must not prompt.
npm_config_yes=true npm rebuild
# code-server's own postinstall (skipped above, it refuses to run as root)
# would create these links.
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sfn code-linux.sh code-server)
(cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
(cd extensions && npm install --omit=dev --no-audit --no-fund)
cd "$D"
# argon2, used by code-server's login page. Only it: rebuilding everything
# would rerun code-server's postinstall, which refuses to run as root.
npm_config_yes=true npm rebuild argon2
npm install --no-audit --no-fund playwright-core

touch "$MARKER"
echo "code-server $VERSION installed in $D"
