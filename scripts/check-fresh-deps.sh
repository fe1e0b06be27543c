#!/usr/bin/env bash
# What a user who adds amplify-rs to a new project builds: the newest versions of our
# dependencies that Cargo.toml allows, not the ones Cargo.lock pins. Lints the whole
# workspace with them under `-D warnings` (a deprecation in a new release fails it), then
# puts the committed Cargo.lock back, whatever happened.
#
# Not part of scripts/test.sh on purpose: its outcome depends on what crates.io holds on
# the day it runs, and the suite's must not. Run it before a release and when bumping
# dependencies: bash scripts/check-fresh-deps.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

saved="$(mktemp)"
cp Cargo.lock "$saved"
trap 'cp "$saved" Cargo.lock; rm -f "$saved"' EXIT

cargo update
echo "== dependencies newer than Cargo.lock pins:"
pins() { grep -A1 '^name = ' "$1" | grep -v '^--$' | paste - - | sort; }
diff <(pins "$saved") <(pins Cargo.lock) | grep '^>' || echo "(none)"
cargo clippy --workspace --all-targets --all-features -- -D warnings
cargo clippy -p amplify-runtime --no-default-features --features cli -- -D warnings
echo "== the workspace builds without a warning on today's newest dependencies"
