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
pg_ctl_cmd=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  [ -n "$pg_ctl_cmd" ] && $pg_ctl_cmd stop -m fast >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

step "format and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p app --features hydrate --target wasm32-unknown-unknown -- -D warnings

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

step "release build"
cargo leptos build --release

step "end-to-end (Playwright, Debian Chromium, axe)"
port=$(free_port)
export LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT="$root/target/site" PUBLIC_URL="http://127.0.0.1:$port"
export DATA_DIR="$work/data" DEMO=1 SIGNUP_LIMIT=1000 RUST_LOG="${RUST_LOG:-warn}"
export E2E_BASE_URL="$PUBLIC_URL" E2E_ADMIN_EMAIL="admin@participa.test" E2E_ADMIN_PASSWORD="Admin-e2e-$(date +%s)"
printf '%s' "$E2E_ADMIN_PASSWORD" | "$CARGO_TARGET_DIR/release/server" create-admin --email "$E2E_ADMIN_EMAIL" --name "Admin E2E" >/dev/null
"$CARGO_TARGET_DIR/release/server" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do curl -fs "$PUBLIC_URL/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fs "$PUBLIC_URL/healthz" >/dev/null || { cat "$work/server.log"; exit 1; }
if ! (cd end2end && npx playwright test); then
  echo "--- server log (tail) ---"; tail -n 50 "$work/server.log"; exit 1
fi

step "done in $(( $(date +%s) - started )) s"
