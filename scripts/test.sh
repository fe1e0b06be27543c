#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs the pinned checkers (cached under
# target/), then formatting, lints, and every test (unit, golden, trybuild UI, real
# cargo builds, cfn-lint, checkov). `.ci/run` calls exactly this.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Tests must never reach for real AWS credentials or the instance-metadata address.
export AWS_EC2_METADATA_DISABLED=true

bash scripts/setup-python-tools.sh
cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked
