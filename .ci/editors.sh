#!/usr/bin/env bash
# The VS Code extension: install its locked npm packages, compile the client, run the
# TextMate assertion files in vscode-textmate + vscode-oniguruma, package a .vsix.
set -euo pipefail
cd "$(dirname "$0")/../editors/vscode"
npm ci --no-audit --no-fund
npx tsc -p .
npx vscode-tmgrammar-test "tests/*.test.mpl"
npx vsce package --allow-missing-repository -o mpl.vsix
ls -l mpl.vsix
