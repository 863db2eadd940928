#!/usr/bin/env bash
# Property-based run of the OpenAPI document against the live server (schemathesis): no request may get a 5xx.
# Usage: scripts/api-fuzz.sh [MAX_EXAMPLES]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v st >/dev/null 2>&1 || python3 -m pip install -q schemathesis
cargo build --release -q
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
target/release/verblijf serve --addr "127.0.0.1:$port" >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
st run "http://127.0.0.1:$port/api/openapi.json" --checks not_a_server_error --max-examples "${1:-40}" --seed 1
