#!/usr/bin/env bash
# Installs the pinned JavaScript checkers (aws-amplify, from tests/js-config's lockfile)
# with `npm ci`; skipped when node_modules already matches the lockfile.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

dir="tests/js-config"
hash="$(sha256sum "$dir/package-lock.json" | cut -c1-16)"
stamp="$dir/node_modules/.stamp-$hash"
if [[ -f "$stamp" ]]; then
    echo "node tools: up to date ($dir/node_modules)"
    exit 0
fi
start=$SECONDS
(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
touch "$stamp"
echo "node tools: installed aws-amplify into $dir/node_modules in $((SECONDS - start))s"
