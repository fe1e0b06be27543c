#!/usr/bin/env bash
# The build script's own process, in the profile users build with (dev: unoptimised), as
# cargo runs it after a one-resource change: the script cargo built for the crate is run
# again with the environment cargo gave it (captured from `cargo build -vv`), each run
# after the backend file changed one resource's setting (alternating, so every run
# re-synthesises). Whole processes, median of N runs. Two columns: as users meet it
# (the last run's snapshot in OUT_DIR, so only the edited declaration is synthesised
# again), and a full synthesis (the snapshot removed before each run, as after an edit
# the fast path cannot follow).
# Usage: bash scripts/bench-build-script.sh [runs]   (results for BENCHMARKS.md;
# AMPLIFY_BENCH_SIZES="10 450" picks the backend sizes; AMPLIFY_BENCH_PROFILE=release
# builds the crate with `--release`, whose build scripts cargo also leaves unoptimised)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs="${1:-20}"
repo="$PWD"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export CARGO_TARGET_DIR="$repo/target/bench-builds"

# $1: crate dir; $2: file whose line $3 is toggled with $4 between runs.
bench() {
  local dir="$1" file="$2" from="$3" to="$4"
  local profile=()
  [[ "${AMPLIFY_BENCH_PROFILE:-dev}" == release ]] && profile=(--release)
  (cd "$dir" && cargo build --offline "${profile[@]}" -vv 2>&1) >"$work/build.log"
  python3 - "$runs" "$dir" "$file" "$from" "$to" "$work/build.log" <<'PY'
import os, shlex, statistics, subprocess, sys, time
runs, crate, file, a, b, log = int(sys.argv[1]), *sys.argv[2:7]
# The line cargo prints for the script of this crate: `Running `VAR=… /…/build-script-build``.
line = next(l for l in open(log) if "build-script-build" in l and "Running `" in l
            and os.path.realpath(crate) in l)
command = line.split("Running `", 1)[1].rsplit("`", 1)[0]
words = shlex.split(command)
env = dict(os.environ)
while "=" in words[0] and not words[0].startswith("/"):
    key, value = words.pop(0).split("=", 1)
    env[key] = value
path = os.path.join(crate, file)
text = open(path).read()
assert a in text, f"{a!r} not in {path}"
snapshot = os.path.join(env["OUT_DIR"], "amplify-incremental.json")
for full in (False, True):
    samples = []
    for i in range(runs):
        text = text.replace(a, b, 1) if i % 2 == 0 else text.replace(b, a, 1)
        open(path, "w").write(text)
        if full and os.path.exists(snapshot):
            os.remove(snapshot)
        t = time.perf_counter()
        subprocess.run(words, env=env, cwd=crate, check=True, stdout=subprocess.DEVNULL)
        samples.append((time.perf_counter() - t) * 1000)
    print(f"{statistics.median(samples):.1f} ({min(samples):.1f}–{max(samples):.1f})", end=" | " if not full else "\n")
PY
}

echo "| backend | resources | one declaration edited: ms (median, min–max) | full synthesis: ms |"
echo "|---|---:|---:|---:|"
# shellcheck source=scripts/generated-crate.sh
source "$repo/scripts/generated-crate.sh"
for n in ${AMPLIFY_BENCH_SIZES:-10 100 450 2009}; do
  dir="$work/bench-$n"
  make_crate "$dir" "$n"
  echo "| generated | $n | $(bench "$dir" src/main.rs "memory = 256" "memory = 512") |"
done
