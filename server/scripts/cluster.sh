#!/usr/bin/env bash
# A whole deployment on 127.0.0.1, built from the same pieces as production: PostgreSQL, an S3
# server (moto's S3 over HTTP, from PyPI: it installs in seconds where a Rust S3 server would be
# built for minutes), an SMTP server as a sink (aiosmtpd, writing a Maildir), N stateless app
# servers and nginx balancing between them. Used by the two-server and fault tests and the load
# benchmark (server/scripts/bench-cluster.sh).
#
#   cluster.sh start [N]      start everything (N app servers, default 2); prints the balancer's URL
#   cluster.sh stop           stop everything
#   cluster.sh kill-app I     kill -9 app server I (1-based)      cluster.sh start-app I
#   cluster.sh stop-pg        stop PostgreSQL (fast)               cluster.sh start-pg
#   cluster.sh stop-smtp      stop the SMTP sink                   cluster.sh start-smtp
#   cluster.sh status         cluster.sh heal (start again whatever is down)
#   cluster.sh install        the tools only (setup.sh test calls it)
#
# CLUSTER_DIR (default /tmp/participa-cluster) holds the data, logs, pids and `env` (the ports and
# URLs as KEY=VALUE lines). SERVER_BIN is the app binary (default: the release build).
set -euo pipefail
self="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
cd "$(dirname "$0")/../.."
root=$PWD
source server/scripts/env.sh
dir="${CLUSTER_DIR:-/tmp/participa-cluster}"
tools="$HOME/.cache/participa-tools"
server_bin="${SERVER_BIN:-$CARGO_TARGET_DIR/release/server}"
log() { printf '\033[1m[cluster]\033[0m %s\n' "$*"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
as_pg=(); [ "$(id -u)" = 0 ] && as_pg=(runuser -u postgres --)
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)

install_tools() {
  sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
  apt_() { sudo_ apt-get update -qq && sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; }
  command -v nginx >/dev/null || { log "installing nginx"; apt_ nginx; }
  [ -n "$pgbin" ] || { log "installing PostgreSQL"; apt_ postgresql; pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1); }
  if [ ! -x "$tools/smtp/bin/aiosmtpd" ]; then
    log "installing aiosmtpd (PyPI)"; python3 -m venv "$tools/smtp" && "$tools/smtp/bin/pip" install -q "aiosmtpd==1.4.6"
  fi
  if [ ! -x "$tools/s3/bin/moto_server" ]; then
    log "installing moto's S3 server (PyPI)"; python3 -m venv "$tools/s3" && "$tools/s3/bin/pip" install -q "moto[server]==5.2.5"
  fi
}

save() { echo "$1=$2" >>"$dir/env"; }
get() { grep -m1 "^$1=" "$dir/env" | cut -d= -f2-; }
up() { for _ in $(seq 1 150); do curl -fs -o /dev/null "$1" && return 0; sleep 0.2; done; return 1; }
alive() { [ -f "$dir/$1.pid" ] && kill -0 "$(cat "$dir/$1.pid")" 2>/dev/null; }
stop_pid() {
  if alive "$1"; then kill "${2:--TERM}" "$(cat "$dir/$1.pid")" 2>/dev/null || true; fi
  for _ in $(seq 1 100); do alive "$1" || break; sleep 0.1; done
  if alive "$1"; then
    log "$1 did not stop in 10 s: kill -9"; kill -KILL "$(cat "$dir/$1.pid")" 2>/dev/null || true
    for _ in $(seq 1 20); do alive "$1" || break; sleep 0.1; done
  fi
  rm -f "$dir/$1.pid"
}

start_pg() {
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/log" -w \
    -o "-p $(get PG_PORT) -k $dir/pg -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
}
stop_pg() { "${as_pg[@]}" "$pgbin/pg_ctl" -D "$dir/pg/data" -m fast -w stop >/dev/null 2>&1 || true; }

start_smtp() {
  "$tools/smtp/bin/python" -m aiosmtpd -n -l "127.0.0.1:$(get SMTP_PORT)" -c aiosmtpd.handlers.Mailbox "$dir/maildir" \
    >>"$dir/smtp.log" 2>&1 &
  echo $! >"$dir/smtp.pid"
  for _ in $(seq 1 50); do python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$(get SMTP_PORT)),1)" 2>/dev/null && return 0; sleep 0.1; done
  return 1
}

# TRUST_PROXY=2: the tests and the benchmark stand for many people behind a front proxy (each request
# names its client in X-Forwarded-For, nginx appends its own peer), so per-address limits apply per
# person as in production, not to 127.0.0.1 as a whole. MAIL_RETRY_SECS=1: an SMTP outage heals in
# seconds. DRAIN_SECS=1: `stop` is quick.
start_app() {
  local i=$1 port
  port=$(get "APP${i}_PORT")
  mkdir -p "$dir/app$i"
  (
    export DATABASE_URL="$(get DATABASE_URL)" LEPTOS_SITE_ADDR="127.0.0.1:$port" PUBLIC_URL="$(get URL)"
    export LEPTOS_SITE_ROOT="$root/target/site" SECRET_KEY="$(get SECRET_KEY)" PAYMENTS=test TRUST_PROXY=2
    export DATA_DIR="$dir/app$i" MAIL_RETRY_SECS=1 DRAIN_SECS="${DRAIN_SECS:-1}" SHUTDOWN_SECS="${SHUTDOWN_SECS:-5}"
    export SMTP_URL="smtp://127.0.0.1:$(get SMTP_PORT)" MAIL_FROM="Participa <no-reply@participa.test>"
    export S3_BUCKET=participa S3_ENDPOINT="http://127.0.0.1:$(get S3_PORT)" S3_REGION=us-east-1
    export S3_ACCESS_KEY_ID=participa S3_SECRET_ACCESS_KEY="$(get S3_SECRET)" AWS_ALLOW_HTTP=true
    export METRICS_TOKEN="$(get METRICS_TOKEN)" RUST_LOG="${RUST_LOG:-warn}" SIGNUP_LIMIT=100000 LOGIN_LIMIT=100000
    exec "$(get SERVER_BIN)"
  ) >>"$dir/app$i.log" 2>&1 &
  echo $! >"$dir/app$i.pid"
  up "http://127.0.0.1:$port/healthz" || { tail -n 30 "$dir/app$i.log"; return 1; }
}

start_nginx() {
  local servers="" n
  n=$(get SERVERS)
  for i in $(seq 1 "$n"); do servers="$servers    server 127.0.0.1:$(get "APP${i}_PORT") max_fails=1 fail_timeout=2s;\n"; done
  mkdir -p "$dir/nginx"
  printf '%b' "worker_processes 1;
daemon off;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/error.log warn;
events { worker_connections 2048; }
http {
  access_log off;
  client_max_body_size 60m;
  client_body_temp_path $dir/nginx/body; proxy_temp_path $dir/nginx/proxy;
  fastcgi_temp_path $dir/nginx/fcgi; uwsgi_temp_path $dir/nginx/uwsgi; scgi_temp_path $dir/nginx/scgi;
  upstream app {
$servers    keepalive 64;
  }
  server {
    listen 127.0.0.1:$(get NGINX_PORT);
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
      proxy_set_header Host \$host:\$server_port;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_connect_timeout 1s;
      proxy_next_upstream error timeout http_502;
    }
  }
}
" >"$dir/nginx/nginx.conf"
  nginx -p "$dir/nginx" -c "$dir/nginx/nginx.conf" -e "$dir/nginx/error.log" >>"$dir/nginx/out.log" 2>&1 &
  echo $! >"$dir/nginx.pid"
  up "$(get URL)/healthz"
}

case "${1:-}" in
  start)
    n="${2:-2}"
    install_tools
    [ -x "$server_bin" ] || { echo "no server binary at $server_bin (cargo leptos build --release, or SERVER_BIN=…)"; exit 1; }
    bash "$self" stop >/dev/null 2>&1 || true
    rm -rf "$dir"; mkdir -p "$dir/pg" "$dir/maildir/tmp" "$dir/maildir/new" "$dir/maildir/cur"; chmod 755 "$dir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir/pg"
    : >"$dir/env"
    save SERVERS "$n"; save PG_PORT "$(free_port)"; save S3_PORT "$(free_port)"; save SMTP_PORT "$(free_port)"
    save NGINX_PORT "$(free_port)"; save URL "http://127.0.0.1:$(get NGINX_PORT)"
    for i in $(seq 1 "$n"); do save "APP${i}_PORT" "$(free_port)"; save "APP${i}_URL" "http://127.0.0.1:$(get "APP${i}_PORT")"; done
    save SECRET_KEY "$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')"
    save S3_SECRET "$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
    save METRICS_TOKEN "$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
    save DATABASE_URL "postgres://postgres@127.0.0.1:$(get PG_PORT)/participa"
    save MAILDIR "$dir/maildir"
    save S3_URL "http://127.0.0.1:$(get S3_PORT)"
    save SERVER_BIN "$server_bin"
    log "PostgreSQL on $(get PG_PORT)"
    "${as_pg[@]}" "$pgbin/initdb" -D "$dir/pg/data" -A trust -U postgres >/dev/null
    start_pg
    "${as_pg[@]}" "$pgbin/psql" -q -h 127.0.0.1 -p "$(get PG_PORT)" -U postgres -c "CREATE DATABASE participa" >/dev/null
    log "S3 (moto) on $(get S3_PORT)"
    "$tools/s3/bin/moto_server" -H 127.0.0.1 -p "$(get S3_PORT)" >>"$dir/s3.log" 2>&1 &
    echo $! >"$dir/s3.pid"
    up "$(get S3_URL)/moto-api/" || { tail -n 20 "$dir/s3.log"; exit 1; }
    # The bucket, made as an operator would before the servers start.
    curl -fsS -o /dev/null -X PUT "$(get S3_URL)/participa"
    log "SMTP sink (aiosmtpd) on $(get SMTP_PORT)"
    start_smtp
    # Migrations and the demo data once, before any server starts.
    DATABASE_URL="$(get DATABASE_URL)" SECRET_KEY="$(get SECRET_KEY)" DEMO=1 RUST_LOG=warn "$server_bin" migrate
    for i in $(seq 1 "$n"); do log "app server $i on $(get "APP${i}_PORT")"; start_app "$i"; done
    log "nginx on $(get NGINX_PORT)"
    start_nginx
    log "ready: $(get URL) (env in $dir/env)"
    ;;
  stop)
    [ -f "$dir/env" ] || exit 0
    stop_pid nginx
    # Every app server drains at the same time, then each is waited for.
    for i in $(seq 1 "$(get SERVERS)"); do alive "app$i" && kill -TERM "$(cat "$dir/app$i.pid")" 2>/dev/null || true; done
    for i in $(seq 1 "$(get SERVERS)"); do stop_pid "app$i"; done
    stop_pid smtp; stop_pid s3
    stop_pg
    ;;
  install) install_tools ;;
  heal)
    # Whatever is down (after a test that stopped it and failed) is started again.
    "${as_pg[@]}" "$pgbin/pg_ctl" -D "$dir/pg/data" status >/dev/null 2>&1 || start_pg
    alive smtp || start_smtp
    alive s3 || { log "s3 is down"; exit 1; }
    for i in $(seq 1 "$(get SERVERS)"); do alive "app$i" || start_app "$i"; done
    alive nginx || start_nginx
    ;;
  kill-app) stop_pid "app$2" -KILL ;;
  start-app) start_app "$2" ;;
  stop-app) stop_pid "app$2" ;;
  stop-pg) stop_pg ;;
  start-pg) start_pg ;;
  stop-smtp) stop_pid smtp ;;
  start-smtp) start_smtp ;;
  status)
    for p in nginx smtp s3; do alive "$p" && echo "$p up" || echo "$p down"; done
    for i in $(seq 1 "$(get SERVERS)"); do alive "app$i" && echo "app$i up" || echo "app$i down"; done
    ;;
  *) sed -n '2,17p' "$self"; exit 2 ;;
esac
