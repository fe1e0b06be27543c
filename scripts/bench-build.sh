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

# shellcheck source=scripts/generated-crate.sh
source "$repo/scripts/generated-crate.sh"

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
