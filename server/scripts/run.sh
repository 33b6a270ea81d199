#!/usr/bin/env bash
# Builds Participa (release) and serves it at http://127.0.0.1:3000 with the demo dataset on SQLite.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash server/scripts/setup.sh build
source server/scripts/env.sh
cargo leptos build --release
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
export DEMO="${DEMO:-1}"
# The demo's offline payment provider (no money moves; refused with an https PUBLIC_URL).
export PAYMENTS="${PAYMENTS:-test}"
# A strong secret of its own, generated once into the data directory and kept across restarts.
export DATA_DIR="${DATA_DIR:-data}"
if [ -z "${SECRET_KEY:-}" ] && [ -z "${SECRET_KEY_FILE:-}" ]; then
  mkdir -p "$DATA_DIR"
  if [ ! -s "$DATA_DIR/secret.key" ]; then
    (umask 077; od -An -tx1 -N32 /dev/urandom | tr -d ' \n' > "$DATA_DIR/secret.key")
  fi
  export SECRET_KEY_FILE="$DATA_DIR/secret.key"
fi
echo "Participa: http://$LEPTOS_SITE_ADDR  (Ctrl+C stops it)"
exec "$CARGO_TARGET_DIR/release/server"
