#!/usr/bin/env bash
# The main job: build the blog example, which synthesises its amplify/ folder from the
# Rust declaration in examples/blog/src/cloud.rs, and run the app.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cargo run --locked -p blog-example
echo
echo "synthesised: examples/blog/amplify/ (backend-config.json, nested templates, root stack)"
