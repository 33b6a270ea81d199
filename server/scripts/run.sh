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
echo "Participa: http://$LEPTOS_SITE_ADDR  (Ctrl+C stops it)"
exec "$CARGO_TARGET_DIR/release/server"
