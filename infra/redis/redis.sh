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
# shellcheck source=owner.sh
. "$here/owner.sh"

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

# A Redis already on the port is reused only when it keeps its data in $dir; one whose folder was
# removed (its checkout deleted) is stopped; anything else makes the start fail with what to do.
claim_port() {
  if ping; then
    redis_owner "$port" "$dir" redis/redis.pid
    case "$REDIS_OWNER" in
      ours) echo "redis: already up on 127.0.0.1:$port (reused)"; return 1 ;;
      unknown)
        echo "redis: warning: cannot tell which folder the Redis on 127.0.0.1:$port uses (no /proc, CONFIG disabled); reusing it" >&2
        return 1 ;;
      orphan)
        echo "redis: the redis-server on 127.0.0.1:$port (pid $REDIS_OWNER_PID) lost its data folder $REDIS_OWNER_DIR (deleted); stopping it and starting ours"
        redis_stop_node "$port" "$REDIS_OWNER_PID"
        return 0 ;;
      *)
        {
          echo "redis: 127.0.0.1:$port is taken by a Redis (pid ${REDIS_OWNER_PID:-unknown}) of $(owner_data_root_of "$REDIS_OWNER_DIR" redis), not of data root $data_root."
          echo "redis: stop it (a Gazette node: with its checkout's \`bash infra/redis/redis.sh stop\`, same GAZETTE_DATA_DIR and REDIS_PORT),"
          echo "redis: or set REDIS_PORT to a free port for this one."
        } >&2
        exit 1 ;;
    esac
  fi
  if owner_port_busy "$port"; then
    echo "redis: 127.0.0.1:$port is taken by $(owner_describe_port "$port"), which is not a Redis; free the port or set REDIS_PORT to a free one" >&2
    exit 1
  fi
}

start() {
  ensure_installed
  claim_port || return 0
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
      rm -f "$pidfile"
      return 0
    fi
    rm -f "$pidfile"
  fi
  # No live pid file (it may have gone with a removed data folder): what answers on the port.
  if ping; then
    redis_owner "$port" "$dir" redis/redis.pid
    case "$REDIS_OWNER" in
      ours | orphan)
        redis_stop_node "$port" "$REDIS_OWNER_PID" "$([ "$REDIS_OWNER" = ours ] && echo save || true)"
        echo "redis: stopped the $(owner_label "$REDIS_OWNER") node on 127.0.0.1:$port (pid ${REDIS_OWNER_PID:-unknown}, data folder $REDIS_OWNER_DIR)" ;;
      *) echo "redis: the Redis on 127.0.0.1:$port is not this checkout's (${REDIS_OWNER_DIR:-folder unknown}): not stopped" ;;
    esac
    return 0
  fi
  echo "redis: not started by Gazette (nothing to stop)"
}

status() { if ping; then echo "redis: up on 127.0.0.1:$port"; else echo "redis: down"; return 1; fi; }

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
