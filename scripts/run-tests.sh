#!/usr/bin/env bash
# Every test of the workspace, built first, then run as one `cargo test` job per test
# binary (plus the unit tests and the doc tests), AMPLIFY_TEST_JOBS (default 3) at a time.
# The deploy tests spend most of their time waiting on the local emulator (stack polls,
# Lambda cold starts), so running their binaries side by side shortens the suite without
# changing what any test does. Every job selects with `--workspace --all-features`, as
# the build did, so none rebuilds anything. Longest first (known from CI runs), so the
# last to finish starts early. Each job's output is printed whole when it ends; the
# script fails if any job failed, naming it.
# Usage: bash scripts/run-tests.sh   (scripts/test.sh calls it)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

jobs="${AMPLIFY_TEST_JOBS:-3}"
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
cargo_test="cargo test --workspace --all-features --locked"

# Build everything the jobs run, and list the test binaries.
$cargo_test --no-run --message-format=json-render-diagnostics >"$logs/build.json"
mapfile -t targets < <(python3 - "$logs/build.json" <<'PY'
import json, sys
names = []
for line in open(sys.argv[1]):
    if not line.startswith("{"):
        continue
    message = json.loads(line)
    target = message.get("target", {})
    if message.get("reason") == "compiler-artifact" and target.get("kind") == ["test"]:
        if target["name"] not in names:
            names.append(target["name"])
print("\n".join(names))
PY
)

# Slowest first (seconds on a fresh-clone run, 2026-12-06, three jobs side by side: deploy
# 660, export 554, amplify_cli 298, client_config 285, pipeline 155, build_script 144,
# compiletest 140, hosting 134, local_cloud 108); the rest after them. client_config
# before amplify_cli: started third, beside deploy and export, amplify_cli took 631 s
# (its apps wait on theirs for the scratch builds' lock) and the suite 33.5 min, not 30.1.
slow=(deploy export client_config amplify_cli environments compiletest local_cloud plugins pipeline
  third_party hosting build_script large_backend graphql_codegen generated_backends
  round_trip gen1_takeover)
ordered=()
for name in "${slow[@]}"; do
  [[ " ${targets[*]} " == *" $name "* ]] && ordered+=("$name")
done
for name in "${targets[@]}"; do
  [[ " ${ordered[*]} " == *" $name "* ]] || ordered+=("$name")
done
commands=()
for name in "${ordered[@]}"; do
  commands+=("$cargo_test --test $name")
done
commands+=("$cargo_test --lib --bins" "$cargo_test --doc")

run() {
  local index="$1" command="$2" started=$SECONDS status
  if bash -c "$command" >"$logs/$index.log" 2>&1; then status=ok; else status=FAILED; fi
  echo "$status $((SECONDS - started))s" >"$logs/$index.status"
  # One job's output at a time, whole.
  (
    flock 9
    echo "=== $command: $(cat "$logs/$index.status")"
    cat "$logs/$index.log"
  ) 9>"$logs/print.lock"
}

running=0
for i in "${!commands[@]}"; do
  if ((running >= jobs)); then
    wait -n || true
    running=$((running - 1))
  fi
  run "$i" "${commands[$i]}" &
  running=$((running + 1))
done
wait

failed=()
echo "=== test jobs, in the order they started:"
for i in "${!commands[@]}"; do
  echo "  $(cat "$logs/$i.status")  ${commands[$i]}"
  grep -q '^ok' "$logs/$i.status" || failed+=("${commands[$i]}")
done
if ((${#failed[@]})); then
  printf 'scripts/run-tests.sh: failed: %s\n' "${failed[@]}" >&2
  exit 1
fi
