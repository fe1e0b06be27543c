#!/usr/bin/env bash
# What a user waits for in the profile they build with (dev: build scripts and proc
# macros unoptimised): `cargo build` of a backend crate after its backend file changed
# (build script re-run: scan, parse, check, synthesise, compare, write the declaration;
# macro expansion: read the declaration, accessors; rustc of the crate), and a no-change
# `cargo build`. Whole processes, median of N runs; peak RSS of the largest process.
# Usage: bash scripts/bench-build.sh [runs]   (results for BENCHMARKS.md)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs="${1:-5}"
repo="$PWD"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export CARGO_TARGET_DIR="$repo/target/bench-builds"

# A crate whose backend has $1 resources: one auth, then tables (with an index),
# functions (each granted read/write on the table before it) and buckets in rotation.
make_crate() {
  local dir="$1" n="$2"
  mkdir -p "$dir/src"
  cat >"$dir/Cargo.toml" <<TOML
[package]
name = "bench-$n"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
amplify = { package = "amplify-runtime", path = "$repo/amplify-runtime" }

[build-dependencies]
amplify-build = { path = "$repo/amplify-build" }

[workspace]
TOML
  cp "$repo/Cargo.lock" "$dir/Cargo.lock"
  printf 'fn main() {\n    amplify_build::synthesize().expect("amplify backend synthesis");\n}\n' >"$dir/build.rs"
  python3 - "$n" >"$dir/src/main.rs" <<'PY'
import sys
n = int(sys.argv[1])
out = ["#[amplify::backend]", "pub mod backend {",
       "    #[auth(sign_in = [email], groups = [Admins], identity_pool)]", "    pub struct Users;"]
for i in range(1, n):
    kind = i % 3
    if kind == 1:
        out += [f"    #[table(partition_key = id: string, index(name = byOwner, partition_key = owner: string))]",
                f"    pub struct Table{i};"]
    elif kind == 2:
        out += [f"    #[function(runtime = rust(package = \"f{i}\"), memory = 256, grant(Table{i-1} = [read, write]))]",
                f"    pub struct Fn{i};"]
    else:
        out += [f"    #[bucket(authenticated = [read, write], groups(Admins = [read, write, delete]))]",
                f"    pub struct Bucket{i};"]
out += ["}", "", "fn main() {", "    let _ = backend::Users::user_pool_id();", "}"]
print("\n".join(out))
PY
}

python_timer() {
  python3 - "$runs" "$@" <<'PY'
import os, resource, statistics, subprocess, sys, time
runs, crate, touch = int(sys.argv[1]), sys.argv[2], sys.argv[3] == "touch"
samples = []
for _ in range(runs):
    if touch:
        os.utime(os.path.join(crate, "src/main.rs"))
    t = time.perf_counter()
    subprocess.run(["cargo", "build", "--quiet", "--offline"], cwd=crate, check=True)
    samples.append((time.perf_counter() - t) * 1000)
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"{statistics.median(samples):.0f} {min(samples):.0f} {max(samples):.0f} {rss:.0f}")
PY
}

echo "| backend | resources | edit → build ms (median, min, max) | no-change build ms | peak RSS MB |"
echo "|---|---:|---:|---:|---:|"
for n in 10 100 450; do
  dir="$work/bench-$n"
  make_crate "$dir" "$n"
  (cd "$dir" && cargo build --quiet --offline) >&2
  read -r med lo hi rss < <(python_timer "$dir" touch)
  read -r fresh _ _ _ < <(python_timer "$dir" none)
  echo "| generated | $n | $med ($lo–$hi) | $fresh | $rss |"
done
