# Sourced by redis.sh and cluster.sh (not run): whose Redis answers on a port.
# shellcheck source=../lib/owner.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/owner.sh"

# Classifies the Redis answering on 127.0.0.1:$1 against folder $2 (where our node keeps its data);
# $3 is how the scripts name its pid file below the data root (redis/redis.pid,
# redis-cluster/<port>/redis.pid), which shows an orphan to be one of Gazette's.
# Sets REDIS_OWNER to
#   ours     its folder is $2: reuse it
#   orphan   a redis-server of this machine whose folder was removed (REDIS_OWNER_PID is set)
#   foreign  a Redis whose folder is another one (REDIS_OWNER_DIR), or one that cannot be shown
#            to be a redis-server process of this machine
#   unknown  neither /proc nor CONFIG GET dir tells its folder, or its folder is gone but its
#            process cannot be seen (the caller reuses it, warning)
redis_owner() {
  local port="$1" want="$2" signature="$3" pid listeners dir="" config verified=0 pidfile
  REDIS_OWNER=unknown REDIS_OWNER_PID="" REDIS_OWNER_DIR=""
  pid="$(redis-cli -h 127.0.0.1 -p "$port" info server 2>/dev/null | tr -d '\r' | sed -n 's/^process_id://p' || true)"
  if [[ "$pid" =~ ^[0-9]+$ ]] && [ "$(owner_comm "$pid")" = redis-server ]; then
    listeners="$(owner_listener_pids "$port")"
    if [ -z "$listeners" ] || grep -qx "$pid" <<<"$listeners"; then verified=1; fi
  fi
  # Redis runs in its folder (--dir): /proc/<pid>/cwd names it, with " (deleted)" once removed.
  [ "$verified" -eq 1 ] && dir="$(owner_cwd "$pid")"
  if [ -z "$dir" ]; then
    # Redis answers "" when its folder was removed.
    config="$(redis-cli -h 127.0.0.1 -p "$port" config get dir 2>/dev/null | tr -d '\r' || true)"
    if [ "$(sed -n 1p <<<"$config")" = dir ]; then
      dir="$(sed -n 2p <<<"$config")"
      [ -n "$dir" ] || dir="(removed folder) (deleted)"
    else
      return 0
    fi
  fi
  REDIS_OWNER_DIR="${dir% (deleted)}"
  [ "$verified" -eq 1 ] && REDIS_OWNER_PID="$pid"
  if ! owner_gone "$dir" && owner_same_dir "$dir" "$want"; then
    REDIS_OWNER=ours
  elif owner_gone "$dir" && [ "$verified" -eq 1 ]; then
    # One of Gazette's: its pid file is <folder>/redis.pid in a folder named as the scripts name it.
    pidfile="$(redis-cli -h 127.0.0.1 -p "$port" config get pidfile 2>/dev/null | tr -d '\r' | sed -n 2p || true)"
    if [[ "$pidfile" == */"$signature" ]]; then
      REDIS_OWNER=orphan
    else
      REDIS_OWNER=foreign
    fi
  elif owner_gone "$dir" && [[ "$pid" =~ ^[0-9]+$ ]] && [ ! -r "/proc/$pid/comm" ]; then
    # Its folder is gone but its process cannot be seen here (no /proc): leave it to the caller.
    REDIS_OWNER=unknown
  else
    REDIS_OWNER=foreign
  fi
}

# Stops the redis-server $2 on port $1: SHUTDOWN NOSAVE (an orphan's files are gone; $3 = save for
# a node whose folder is still there), then SIGTERM if it still runs.
redis_stop_node() {
  local port="$1" pid="$2" how=nosave
  [ "${3:-}" = save ] && how=save
  # NOW: no waiting for replicas to catch up (Redis 7); older servers refuse it and get SIGTERM below.
  redis-cli -h 127.0.0.1 -p "$port" shutdown "$how" $([ "$how" = nosave ] && echo now) >/dev/null 2>&1 || true
  if [[ "$pid" =~ ^[1-9][0-9]*$ ]]; then owner_stop_pid "$pid" 30; fi
}
