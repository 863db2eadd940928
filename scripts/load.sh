#!/usr/bin/env bash
# Load run through the API on loopback: wrk, bounded in time, POSTing one assessment.
# Usage: scripts/load.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk; }
cargo build --release -q
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
target/release/verblijf serve --addr "127.0.0.1:$port" >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
script=$(mktemp)
cat > "$script" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"reference_date":"2026-03-02","person":{"id":"e1","birth_date":"1996-09-14","education":[{"level":"master","provenance":"foreign","graduation_date":"2019-06-30","rankings":[{"list":"qs","edition":2019,"position":172}]}],"job_offer":{"recognised_sponsor":true,"gross_monthly_salary":4500,"contract_start":"2026-05-01","contract_end":"2028-04-30"}}}'
LUA
wrk -t2 -c"${2:-32}" -d"${1:-15}s" --latency -s "$script" "http://127.0.0.1:$port/api/v1/assess"
