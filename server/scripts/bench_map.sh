#!/usr/bin/env bash
# Accessibility map benchmark (by hand, not a test): N generated institutions (default 10000),
# server-side query times, list SSR latency at 64 connections (wrk), gzip size of a city view.
# Usage: bash server/scripts/bench_map.sh [places]
set -euo pipefail
cd "$(dirname "$0")/../.."
source server/scripts/env.sh
n="${1:-10000}"
work=$(mktemp -d /tmp/participa-bench.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
export DATA_DIR="$work" DEMO=1 RUST_LOG=warn LEPTOS_SITE_ROOT="$PWD/target/site" LEPTOS_SITE_ADDR="127.0.0.1:$port"
cargo build --release -p server --bin server --example bench_map
"$CARGO_TARGET_DIR/release/examples/bench_map" --places "$n"
"$CARGO_TARGET_DIR/release/server" >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
city="http://127.0.0.1:$port/map/data.json?bbox=27.15,45.67,27.23,45.73&z=14"
echo "city view payload: $(curl -s "$city" | wc -c) bytes raw, $(curl -s "$city" | gzip -9 | wc -c) bytes gzip"
command -v wrk >/dev/null || { echo "wrk not installed (apt-get install wrk)"; exit 0; }
for path in "/map" "/map?locality=Fo%C8%99ani&sort=rating" "/map?lat=45.70&lon=27.18&sort=distance"; do
  echo "== GET $path, 64 connections, 15 s"
  wrk -t2 -c64 -d15s --latency "http://127.0.0.1:$port$path" | grep -E "50%|90%|99%|Requests/sec|Non-2xx"
done
echo "== GET /map/data.json (city view), 64 connections, 10 s"
wrk -t2 -c64 -d10s --latency "$city" | grep -E "50%|99%|Requests/sec"
