#!/usr/bin/env bash
# Start, stop or inspect the local Redis that Gazette uses when REDIS_URL is not set.
# Debian's redis-server, bound to 127.0.0.1, append-only file on, data under the project's data folder.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
data_root="${GAZETTE_DATA_DIR:-$root/.data}"
dir="$data_root/redis"
port="${REDIS_PORT:-6379}"
pidfile="$dir/redis.pid"

ping() { redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; }

ensure_installed() {
  if command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; then return; fi
  echo "redis: installing Debian's redis-server" >&2
  export DEBIAN_FRONTEND=noninteractive
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq >/dev/null && apt-get install -y -qq redis-server >/dev/null
  else
    sudo apt-get update -qq >/dev/null && sudo apt-get install -y -qq redis-server >/dev/null
  fi
  # The package starts a system-wide service on 6379; Gazette runs its own.
  if command -v systemctl >/dev/null 2>&1; then systemctl disable --now redis-server >/dev/null 2>&1 || true; fi
  if command -v service >/dev/null 2>&1; then service redis-server stop >/dev/null 2>&1 || true; fi
}

start() {
  ensure_installed
  if ping; then echo "redis: already up on 127.0.0.1:$port (reused)"; return 0; fi
  mkdir -p "$dir"
  redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" \
    --appendonly yes --appendfsync everysec --save "" \
    --daemonize yes --pidfile "$pidfile" --logfile "$dir/redis.log" \
    --maxmemory-policy noeviction
  local deadline=$((SECONDS + 30))
  until ping; do
    if [ $SECONDS -ge $deadline ]; then echo "redis: did not answer within 30 s" >&2; tail -n 30 "$dir/redis.log" >&2 || true; exit 1; fi
    sleep 0.1
  done
  # Wait until the append-only file is loaded (LOADING answers to PING are errors, so PONG means ready).
  echo "redis: up on 127.0.0.1:$port (data in $dir)"
}

stop() {
  if [ -f "$pidfile" ]; then
    local pid; pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null; then
      redis-cli -h 127.0.0.1 -p "$port" shutdown >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
      while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
      echo "redis: stopped"
    fi
    rm -f "$pidfile"
  else
    echo "redis: not started by Gazette (nothing to stop)"
  fi
}

status() { if ping; then echo "redis: up on 127.0.0.1:$port"; else echo "redis: down"; return 1; fi; }

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
