#!/usr/bin/env bash
# Load benchmark, by hand (not a test, not a CI step): the deployment of cluster.sh on 127.0.0.1
# with one app server, then with two, each given CONNS connections (default 256) of mixed traffic
# through nginx for SECS seconds (default 30; wrk: 4 of 5 requests read a public page, 1 posts a
# comment as a signed-in person). Prints throughput, p50/p90/p99, errors, the comments stored
# and the machine's cores and load.
#   bash server/scripts/bench-cluster.sh [SECS] [CONNS]
# BENCH_CARGO (default cargo) builds and runs the test that writes the requests; SERVER_BIN as cluster.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
source server/scripts/env.sh
secs="${1:-30}"
conns="${2:-256}"
cargo_="${BENCH_CARGO:-cargo}"
export CLUSTER_DIR="${CLUSTER_DIR:-/tmp/participa-bench-cluster}"
fixture="$CLUSTER_DIR.requests"
trap 'bash server/scripts/cluster.sh stop >/dev/null 2>&1 || true; rm -f "$fixture"' EXIT
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
get() { grep -m1 "^$1=" "$CLUSTER_DIR/env" | cut -d= -f2-; }
echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB"
for n in 1 2; do
  bash server/scripts/cluster.sh start "$n" >/dev/null
  # More posts than wrk can send in the time, each person fewer than the per-minute limit.
  PARTICIPA_CLUSTER="$CLUSTER_DIR/env" BENCH_FIXTURE="$fixture" BENCH_POSTS=$((secs * 400)) \
    "$cargo_" test -q -p server --test it -- --ignored --exact cluster_bench::write_the_benchmark_requests >/dev/null
  url=$(get URL)
  echo
  echo "== $n app server(s): $conns connections for $secs s through nginx (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
  BENCH_FIXTURE="$fixture" wrk -t2 -c"$conns" -d"${secs}s" --timeout 10s -s server/scripts/bench-cluster.lua "$url" -- 2 "$url" |
    sed -n '/^requests /,$p'
  stored=$("$pgbin/psql" -qtA -h 127.0.0.1 -p "$(get PG_PORT)" -U postgres participa \
    -c "SELECT COUNT(*) FROM consultation_comments WHERE body LIKE 'Banc %'")
  echo "comments stored: $stored"
  bash server/scripts/cluster.sh stop
done
