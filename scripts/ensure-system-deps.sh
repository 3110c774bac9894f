#!/usr/bin/env bash
# The system packages runledger needs beyond Node.js: bubblewrap, which every command a pipeline
# runs is sandboxed with (docs/sandbox.md). Installs it with apt-get where it is missing (as root,
# or through sudo); elsewhere it says what to install and fails.
set -euo pipefail
if command -v bwrap >/dev/null 2>&1; then exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "runledger needs bubblewrap (bwrap): install it with your system's package manager" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
$sudo apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap >/dev/null
command -v bwrap >/dev/null
