#!/usr/bin/env bash
# Property-based run of the OpenAPI document against the live server (schemathesis): no request may get a 5xx.
# Usage: scripts/api-fuzz.sh [MAX_EXAMPLES]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v st >/dev/null 2>&1 || python3 -m pip install -q schemathesis
cargo build --release -q
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
db_dir=$(mktemp -d)
target/release/verblijf serve --addr "127.0.0.1:$port" --db "$db_dir/register.db" >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$db_dir"' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
base="http://127.0.0.1:$port"
# Without a token every register operation is refused at the door; with an owner's token the generated requests
# reach the store.
echo "== without a token"
st run "$base/api/openapi.json" --checks not_a_server_error --max-examples "${1:-40}" --seed 1
token=$(curl -sf -X POST "$base/api/v1/register/organisations" -H 'content-type: application/json' \
  -d '{"name":"Fuzz B.V.","email":"owner@fuzz.example","password":"correct horse battery"}' |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
echo "== as an organisation's owner"
st run "$base/api/openapi.json" --checks not_a_server_error --max-examples "${1:-40}" --seed 2 \
  -H "Authorization: Bearer $token"
