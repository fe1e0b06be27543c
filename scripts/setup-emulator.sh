#!/usr/bin/env bash
# Installs the pinned MiniStack emulator into target/tools/ministack (idempotent, cached).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${PYTHON:-python3}"
VERSION="1.5.33"
# MiniStack verifies Cognito tokens' signatures (API Gateway user-pool authorizers) only
# with `cryptography` installed; without it every token is refused.
CRYPTOGRAPHY="50.0.2"
VENV="target/tools/ministack"
stamp="$VENV/.stamp-$VERSION-cryptography-$CRYPTOGRAPHY"

if [[ -f "$stamp" && -x "$VENV/bin/python" ]]; then
    echo "emulator: up to date (ministack $VERSION in $VENV)"
    exit 0
fi
start=$SECONDS
rm -rf "$VENV"
mkdir -p "$(dirname "$VENV")"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "ministack==$VERSION" "cryptography==$CRYPTOGRAPHY"
touch "$stamp"
echo "emulator: installed ministack $VERSION (cryptography $CRYPTOGRAPHY) into $VENV in $((SECONDS - start))s"
