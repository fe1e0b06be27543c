#!/usr/bin/env bash
# Wall time of `cargo amplify status` and of a no-op `cargo amplify push` on the blog
# example, and the AWS API calls the no-op push makes, against MiniStack.
# Usage: bash scripts/bench-cli.sh [runs]   (release build; results for BENCHMARKS.md)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs="${1:-20}"

cargo build --locked --release -p amplify-runtime --features cli --bin cargo-amplify >&2
source <(bash scripts/emulator.sh)
trap 'kill -9 "$MINISTACK_PID" 2>/dev/null || true; [ -n "${work:-}" ] && rm -rf "$work"' EXIT
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true

# Work on a copy so the example's own state is untouched.
work="$(mktemp -d)"
cp -r examples/blog "$work/blog"
rm -rf "$work/blog/amplify/team-provider-info.json" "$work/blog/amplify/.config/local-"* "$work/blog/amplify/backend/amplify-meta.json" "$work/blog/amplify/#current-cloud-backend"
# The copy stays inside this workspace's view: point its manifest at the repo.
sed -i "s#path = \"../../amplify-runtime\"#path = \"$PWD/amplify-runtime\"#; s#^amplify-build.workspace = true#amplify-build = { path = \"$PWD/amplify-build\" }#; s#\.workspace = true# = \"0.1.0\"#" "$work/blog/Cargo.toml"
cat >"$work/Cargo.toml" <<TOML
[workspace]
members = ["blog", "blog-posts-fn"]
resolver = "2"
TOML
cp -r examples/blog-posts-fn "$work/blog-posts-fn"
sed -i "s#^serde_json.workspace = true#serde_json = \"1\"#; s#\.workspace = true# = \"0.1.0\"#; s#path = \"../../amplify-runtime\"#path = \"$PWD/amplify-runtime\"#" "$work/blog-posts-fn/Cargo.toml"
sed -i 's#^edition = "0.1.0"#edition = "2021"#; s#^rust-version = "0.1.0"#rust-version = "1.95"#; s#^license = "0.1.0"#license = "Apache-2.0"#' "$work/blog/Cargo.toml" "$work/blog-posts-fn/Cargo.toml"
cp Cargo.lock "$work/Cargo.lock"

bin="$PWD/target/release/cargo-amplify"
export CARGO_TARGET_DIR="$PWD/target/scratch-builds"
"$bin" amplify -C "$work/blog" init --env bench --yes 2>/dev/null
"$bin" amplify -C "$work/blog" push --yes 2>/dev/null

python3 - "$bin" "$work/blog" "$runs" <<'PY'
import json, statistics, subprocess, sys, time
bin, crate, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
def timed(args):
    samples, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        out = subprocess.run([bin, "amplify", "-C", crate, *args], capture_output=True, check=True)
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples), min(samples), max(samples), out
s = timed(["status"])
p = timed(["push", "--yes", "--json"])
report = json.loads(p[3].stdout)
print(f"| `cargo amplify status` | {s[0]:.1f} | {s[1]:.1f} | {s[2]:.1f} | - |")
print(f"| no-op `cargo amplify push` | {p[0]:.1f} | {p[1]:.1f} | {p[2]:.1f} | {len(report['apiCalls'])} API calls, {len(report['uploaded'])} uploads |")
PY
