#!/usr/bin/env bash
# Installs what building and testing Participa needs, idempotently (see ../../TOOLCHAIN notes in README).
# Usage: setup.sh [build|test]   — "test" also installs Chromium and PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/../.."
what="${1:-build}"
log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=""
apt_install() {
  [ -n "$apt_updated" ] || { sudo_ apt-get update -qq; apt_updated=1; }
  sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

command -v node >/dev/null || { log "installing Node.js"; apt_install nodejs npm; }
command -v cc >/dev/null || { log "installing a C compiler"; apt_install build-essential; }
command -v pkg-config >/dev/null || apt_install pkg-config

if ! rustup target list --installed | grep -q wasm32-unknown-unknown; then
  log "adding the wasm32 target"; rustup target add wasm32-unknown-unknown
fi
# cargo-leptos 0.3.4: newer releases need a newer rustc than this machine's 1.95. Built without
# optimisation (--debug): 526 crates, 19 CPU-minutes instead of 33 (its release profile asks for fat
# LTO); it only drives the build, and its own work (minifying a few KB of JS) stays well under a second.
if [ "$(cargo leptos --version 2>/dev/null || true)" != "cargo-leptos 0.3.4" ]; then
  log "installing cargo-leptos 0.3.4 (about 10 minutes)"; CARGO_PROFILE_DEV_DEBUG=0 cargo install cargo-leptos --version 0.3.4 --locked --debug
fi
# Must match the wasm-bindgen crate pinned in Cargo.toml; its own lockfile wants a crate the registry lacks.
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen 0.2.130" ]; then
  log "installing wasm-bindgen-cli 0.2.130"; cargo install wasm-bindgen-cli --version 0.2.130 --force
fi

# npm packages: Playwright + axe for tests, binaryen's wasm-opt for the release wasm (never Debian's 108).
if [ ! -x end2end/node_modules/.bin/wasm-opt ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  log "installing npm packages"; (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi

# Leaflet for the accessibility map, pinned by app/package-lock.json and served by the server at /vendor.
if [ ! -f app/node_modules/leaflet/dist/leaflet.js ] || [ app/package-lock.json -nt app/node_modules/.package-lock.json ]; then
  log "installing app npm packages (Leaflet)"; (cd app && npm ci --no-audit --no-fund)
fi

if [ "$what" = test ]; then
  # leptosfmt formats the view! bodies; the test command checks them. Pinned, and unoptimised for the
  # same reason as cargo-leptos (it formats the whole app in a few seconds even so).
  lf="$HOME/.cache/participa-tools/leptosfmt"
  if [ "$("$lf/bin/leptosfmt" --version 2>/dev/null || true)" != "leptosfmt 0.1.33" ]; then
    log "installing leptosfmt 0.1.33"; CARGO_PROFILE_DEV_DEBUG=0 cargo install leptosfmt --version 0.1.33 --locked --debug --root "$lf"
  fi
  command -v chromium >/dev/null || { log "installing Chromium"; apt_install chromium; }
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { log "installing PostgreSQL"; apt_install postgresql; }
fi
log "ready"
