#!/usr/bin/env bash
# Load check of `fashion serve`: 200 concurrent clients × 50 POST /api/predict each (CLIENTS and REQUESTS override),
# against a real server in its own process on 127.0.0.1. Prints failures, throughput and p50/p90/p99 latency as JSON.
# Usage: Bench/loadcheck.sh [CLIENTS] [REQUESTS]      (the README quotes its output)
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${1:-200}
requests=${2:-50}
port=${LOADCHECK_PORT:-5099}

dotnet build Tools/Tools.csproj -c Release -v q -nologo >/dev/null
dotnet build Bench/FashionCore.Bench.csproj -c Release -v q -nologo >/dev/null
bench=Bench/bin/Release/net10.0/FashionCore.Bench
fashion=Tools/bin/Release/net10.0/fashion

work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

"$bench" loadcheck fit "$work/model.fcm"
"$fashion" serve --model "$work/model.fcm" --urls "http://127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$port/api/health" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.log"; exit 1; }
  sleep 0.5
done
head -n 1 "$work/serve.log"
"$bench" loadcheck run "http://127.0.0.1:$port/" "$clients" "$requests"
