#!/usr/bin/env bash
# The main job, with no AWS account: start the local emulator, push the blog example
# (synthesised from examples/blog/src/cloud.rs; its Rust Lambda built for this host, where
# the local cloud runs it, sharing the CLI build's compiled dependencies)
# to it, and run the app's round trip: sign-up and sign-in, createPost / listPosts /
# getPost through AppSync, a photo through S3.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source <(bash scripts/emulator.sh)
trap 'kill -9 "$MINISTACK_PID" 2>/dev/null || true' EXIT
export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
# The pinned tools cargo amplify installs on first use (cargo-zigbuild and zig, for builds
# aimed at AWS) stay in target/.
export AMPLIFY_RS_CACHE="$PWD/target/tools/amplify-rs-cache"

cargo build --locked -p amplify-runtime --features cli --bin cargo-amplify
amplify="$PWD/target/debug/cargo-amplify amplify -C examples/blog"

# The emulator starts empty: forget a `local` env left by an earlier run, then create it.
if grep -q '"local"' examples/blog/amplify/team-provider-info.json 2>/dev/null; then
    $amplify delete --env local --yes
fi
$amplify init --env local --yes
$amplify push --yes
$amplify status
cargo run --locked -p blog-example
