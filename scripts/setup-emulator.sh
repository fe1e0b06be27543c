#!/usr/bin/env bash
# Installs the pinned MiniStack emulator into target/tools/ministack (idempotent, cached).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${PYTHON:-python3}"
VERSION="1.5.33"
VENV="target/tools/ministack"
stamp="$VENV/.stamp-$VERSION"

if [[ -f "$stamp" && -x "$VENV/bin/python" ]]; then
    echo "emulator: up to date (ministack $VERSION in $VENV)"
    exit 0
fi
start=$SECONDS
rm -rf "$VENV"
mkdir -p "$(dirname "$VENV")"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "ministack==$VERSION"
touch "$stamp"
echo "emulator: installed ministack $VERSION into $VENV in $((SECONDS - start))s"
