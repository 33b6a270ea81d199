#!/usr/bin/env bash
# Accessibility map benchmark (by hand, not a test): N generated institutions (default 10000),
# server-side query times, list SSR latency at 64 connections (wrk) anonymously and signed in
# (a session cookie bypasses any anonymous page cache), map data latency, gzip size of a city view.
# Usage: bash server/scripts/bench_map.sh [places]   (SERVER_BIN=path reuses a built release server;
# BENCH_DIR=dir keeps the generated database between runs)
set -euo pipefail
cd "$(dirname "$0")/../.."
source server/scripts/env.sh
n="${1:-10000}"
work="${BENCH_DIR:-$(mktemp -d /tmp/participa-bench.XXXXXX)}"
mkdir -p "$work"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -z "${BENCH_DIR:-}" ] && rm -rf "$work"; return 0; }
trap cleanup EXIT
export DATA_DIR="$work" DEMO=1 RUST_LOG=warn LEPTOS_SITE_ROOT="$PWD/target/site" LEPTOS_SITE_ADDR="127.0.0.1:$port"
if [ -z "${SERVER_BIN:-}" ]; then
  cargo build --release -p server --bin server --example bench_map
  SERVER_BIN="$CARGO_TARGET_DIR/release/server"
fi
BENCH_BIN="${BENCH_BIN:-$CARGO_TARGET_DIR/release/examples/bench_map}"
"$BENCH_BIN" --places "$n" --session-file "$work/session"
sid=$(cat "$work/session")
"$SERVER_BIN" >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
city="http://127.0.0.1:$port/map/data.json?bbox=27.15,45.67,27.23,45.73&z=14"
echo "city view payload: $(curl -s "$city" | wc -c) bytes raw, $(curl -s "$city" | gzip -9 | wc -c) bytes gzip"
command -v wrk >/dev/null || { echo "wrk not installed (apt-get install wrk)"; exit 0; }
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for path in "/map" "/map?locality=Fo%C8%99ani&sort=rating" "/map?lat=45.70&lon=27.18&sort=distance" "/map?need_step_free=1&need_toilet=1&rating=yes"; do
  echo "== GET $path, 64 connections, 15 s, anonymous"
  wrk -t2 -c64 -d15s --latency "http://127.0.0.1:$port$path" | grep -E "50%|90%|99%|Requests/sec|Non-2xx"
  echo "== GET $path, 64 connections, 15 s, signed in"
  wrk -t2 -c64 -d15s --latency -H "Cookie: sid=$sid" "http://127.0.0.1:$port$path" | grep -E "50%|90%|99%|Requests/sec|Non-2xx"
done
for q in "bbox=27.15,45.67,27.23,45.73&z=14" "bbox=27.15,45.67,27.23,45.73&z=14&need_step_free=1&rating=yes" "bbox=20.0,43.5,30.0,48.5&z=7"; do
  echo "== GET /map/data.json?$q, 64 connections, 10 s"
  wrk -t2 -c64 -d10s --latency "http://127.0.0.1:$port/map/data.json?$q" | grep -E "50%|99%|Requests/sec"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
