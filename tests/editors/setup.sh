#!/bin/sh
# tests/editors/setup.sh — install the VS Code grammar test tool (vscode-tmgrammar-test, pinned
# in package-lock.json) into tests/editors/node_modules; a no-op when it is already there.
# Called by .ci/setup. vim and emacs-nox come from apt (.ci/setup PKGS).
set -eu
cd "$(dirname "$0")"
if ! command -v npm >/dev/null 2>&1; then
  echo "tests/editors/setup.sh: npm is missing: apt-get install nodejs npm" >&2
  exit 1
fi
if [ ! -x node_modules/.bin/vscode-tmgrammar-test ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "tests/editors/setup.sh: npm ci (vscode-tmgrammar-test into tests/editors/node_modules)"
  npm ci --no-audit --no-fund --loglevel=error
fi
