#!/usr/bin/env bash
# Creates/refreshes the Python venv with the pinned external checkers (cfn-lint, checkov)
# at target/tools/venv. Idempotent: skips everything when the stamp for the current
# scripts/python-tools.txt is present. Usage: scripts/setup-python-tools.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${PYTHON:-python3}"
# python-tools.txt names what we use; python-tools.lock pins every transitive package
# (regenerate with `target/tools/venv/bin/python -m pip freeze > scripts/python-tools.lock`).
REQS="scripts/python-tools.lock"
VENV="target/tools/venv"

hash="$(sha256sum "$REQS" | cut -c1-16)"
stamp="$VENV/.stamp-$hash"

if [[ -f "$stamp" && -x "$VENV/bin/python" ]]; then
    echo "python tools: up to date ($VENV, stamp $hash)"
    exit 0
fi

start=$SECONDS
# Requirements changed (or a previous run died half-way): start from a clean venv so no
# stale packages linger.
rm -rf "$VENV"
mkdir -p "$(dirname "$VENV")"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQS"
touch "$stamp"
echo "python tools: installed $(grep -E '^(cfn-lint|checkov)==' "$REQS" | tr '\n' ' ')into $VENV in $((SECONDS - start))s"
