#!/usr/bin/env bash
# Starts MiniStack on a free loopback port in the background and prints
# `export AWS_ENDPOINT_URL=...` lines plus its pid; `source <(bash scripts/emulator.sh)`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup-emulator.sh >&2
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
log="target/tools/ministack-$port.log"
GATEWAY_PORT="$port" BIND_HOST=127.0.0.1 nohup target/tools/ministack/bin/python amplify-runtime/emulator/ministack_launcher.py >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
    if curl -fs "http://127.0.0.1:$port/_ministack/health" >/dev/null 2>&1; then
        echo "export AWS_ENDPOINT_URL=http://127.0.0.1:$port"
        echo "export MINISTACK_PID=$pid"
        exit 0
    fi
    sleep 0.1
done
echo "MiniStack did not start; see $log" >&2
kill -9 "$pid" 2>/dev/null || true
exit 1
