#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs the pinned checkers and the local
# AWS emulator (cached under target/), then formatting, lints (also of the `cli`-only,
# `graphql`-only and `rest`-only feature sets), every test (unit, golden, trybuild UI, real
# cargo builds, cfn-lint, checkov, deploys to MiniStack), and `scripts/main.sh` as a smoke
# test.
# `.ci/run` calls exactly this.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Variables that make golden and UI tests rewrite their expectations would let a broken
# change pass: refused here, for the suite that CI runs.
for var in AMPLIFY_ACCEPT TRYBUILD; do
    if [ -n "${!var:-}" ]; then
        echo "scripts/test.sh: unset $var: it rewrites expected outputs instead of checking them" >&2
        exit 2
    fi
done

# Tests must never reach for real AWS credentials or the instance-metadata address.
export AWS_EC2_METADATA_DISABLED=true
# The build's date is an input (Lambda runtime deprecation): pinned, so that no test's
# outcome depends on the day it runs. 1796083200 is 2026-12-01.
export SOURCE_DATE_EPOCH=1796083200
# Disk: the suite builds the workspace and a dozen scratch apps with different feature
# sets (target/ reached 17 GiB and CI ran out of space). A run from a clean clone gains
# nothing from incremental caches (3.6 GiB of them), and the scratch apps, which have no
# profile of their own, keep line tables only, as the workspace's own profile does; its
# dependencies stay without debug info (`profile.dev.package."*"` in Cargo.toml wins).
export CARGO_INCREMENTAL=0
export CARGO_PROFILE_DEV_DEBUG=line-tables-only

bash scripts/setup-python-tools.sh
bash scripts/setup-emulator.sh
# The node tools (the Amplify CLI alone is ~1,600 packages) install while cargo compiles.
node_log="$(mktemp)"
bash scripts/setup-node-tools.sh >"$node_log" 2>&1 &
node_setup=$!
cargo fmt --all --check
cargo clippy --workspace --all-targets --all-features --locked -- -D warnings
# The feature sets users install alone: the CLI (`--features cli`, as the README installs
# it) and the typed clients (`graphql`, `rest`), each without the others.
cargo clippy -p amplify-runtime --no-default-features --features cli --locked -- -D warnings
cargo clippy -p amplify-runtime --features graphql --locked -- -D warnings
cargo clippy -p amplify-runtime --features rest --locked -- -D warnings
# Every test, each test binary a job, three at a time (the deploy tests mostly wait on the
# emulator): see the script.
status=0
wait "$node_setup" || status=$?
cat "$node_log"
if ((status)); then
    echo "scripts/test.sh: installing the node tools failed (scripts/setup-node-tools.sh)" >&2
    exit "$status"
fi
bash scripts/run-tests.sh
# The README's first command, once, as a newcomer runs it: local cloud, push, round trip.
bash scripts/main.sh
# Generated files that are committed (the examples' amplify/ folders, goldens) must be what
# the code writes: a suite that changed or added any of them fails.
git diff --exit-code
if [ -n "$(git status --porcelain --untracked-files=normal)" ]; then
    git status --short
    echo "scripts/test.sh: the suite left files git does not know; commit or ignore them" >&2
    exit 1
fi
