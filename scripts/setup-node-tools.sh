#!/usr/bin/env bash
# Installs the pinned JavaScript tools from their lockfiles with `npm ci`: aws-amplify
# (tests/js-config), the CDK CLI, aws-cdk-lib and the AmplifyExportedBackend construct
# (tests/cdk-export) and the Amplify CLI 14.2.2 (tests/amplify-cli: `@aws-amplify/cli-internal`,
# the plain-JS package; the usual `@aws-amplify/cli` downloads a binary at install time).
# Each is skipped when its node_modules already matches its lockfile.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

for dir in tests/js-config tests/cdk-export tests/amplify-cli; do
    hash="$(sha256sum "$dir/package-lock.json" | cut -c1-16)"
    stamp="$dir/node_modules/.stamp-$hash"
    if [[ -f "$stamp" ]]; then
        echo "node tools: up to date ($dir/node_modules)"
        continue
    fi
    start=$SECONDS
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    touch "$stamp"
    echo "node tools: installed $dir/node_modules in $((SECONDS - start))s"
done
