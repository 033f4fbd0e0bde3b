#!/usr/bin/env bash
# Local Redis Cluster for Gazette: cluster.sh start|stop|status|kill-master
#
#   start        six Debian redis-server processes on 127.0.0.1 (3 masters, 3 replicas), joined
#                with `redis-cli --cluster create`; reused when already up with this data root
#                (orphans whose folder was removed are stopped; see docs/running.md)
#   stop         stop the nodes this script started
#   status       print the cluster state (exit 0 when `cluster_state:ok`)
#   kill-master  SIGKILL the master that serves the hash slot of key $2 (default `{gazette}`),
#                print its port; its replica takes over (used by the fault tests)
#   url          print the REDIS_URL of the cluster (redis+cluster://127.0.0.1:p1,...)
#
# Environment:
#   REDIS_CLUSTER_PORT  first port; the nodes use it and the five after it (default 7000)
#   GAZETTE_DATA_DIR    data root (default: .data at the repository root); nodes keep their data in
#                       redis-cluster/<port>
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
data_root="${GAZETTE_DATA_DIR:-$root/.data}"
base="${REDIS_CLUSTER_PORT:-7000}"
dir="$data_root/redis-cluster"
ports=()
for i in 0 1 2 3 4 5; do ports+=($((base + i))); done
# shellcheck source=owner.sh
. "$here/owner.sh"

ensure_installed() {
  if command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; then return; fi
  echo "redis-cluster: installing Debian's redis-server" >&2
  export DEBIAN_FRONTEND=noninteractive
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq redis-server >/dev/null
  if command -v systemctl >/dev/null 2>&1; then systemctl disable --now redis-server >/dev/null 2>&1 || true; fi
  if command -v service >/dev/null 2>&1; then service redis-server stop >/dev/null 2>&1 || true; fi
}

cli() { redis-cli -h 127.0.0.1 -p "$1" "${@:2}"; }
answers() { cli "$1" ping 2>/dev/null | grep -q PONG; }
state_ok() { cli "$1" cluster info 2>/dev/null | tr -d '\r' | grep -q '^cluster_state:ok'; }

wait_until() {
  local what="$1" seconds="$2"; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    if [ $SECONDS -ge $deadline ]; then echo "redis-cluster: $what not reached within ${seconds}s" >&2; return 1; fi
    sleep 0.2
  done
}

all_ok() {
  local p
  for p in "${ports[@]}"; do state_ok "$p" || return 1; done
}

# Every master has a replica attached and in sync.
replicas_synced() {
  local n
  n="$(cli "${ports[0]}" cluster nodes 2>/dev/null | awk '$3 ~ /slave/ && $8 == "connected"' | wc -l)"
  [ "$n" -ge 3 ]
}

start_node() {
  local port="$1" d="$dir/$1"
  mkdir -p "$d"
  redis-server --bind 127.0.0.1 --port "$port" --dir "$d" \
    --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 2000 \
    --cluster-replica-validity-factor 0 \
    --appendonly yes --appendfsync everysec --save "" \
    --daemonize yes --pidfile "$d/redis.pid" --logfile "$d/redis.log" \
    --maxmemory-policy noeviction
}

# Nodes already on the ports are reused only when they keep their data under $dir. Nodes whose
# folder was removed (their checkout deleted) are stopped; a node of another data root or another
# program on one of the ports makes the start fail, before anything is stopped.
claim_ports() {
  local p orphans=() foreign=()
  for p in "${ports[@]}"; do
    if answers "$p"; then
      redis_owner "$p" "$dir/$p" "redis-cluster/$p/redis.pid"
      case "$REDIS_OWNER" in
        ours) ;;
        unknown) echo "redis-cluster: warning: cannot tell which folder the Redis on 127.0.0.1:$p uses (no /proc, CONFIG disabled); reusing it" >&2 ;;
        orphan) orphans+=("$p:$REDIS_OWNER_PID:$REDIS_OWNER_DIR") ;;
        *) foreign+=("127.0.0.1:$p is taken by a Redis (pid ${REDIS_OWNER_PID:-unknown}) of $(owner_data_root_of "$(dirname "$REDIS_OWNER_DIR")" redis-cluster) (data in $REDIS_OWNER_DIR)") ;;
      esac
    elif owner_port_busy "$p"; then
      foreign+=("127.0.0.1:$p is taken by $(owner_describe_port "$p"), which is not a Redis")
    fi
  done
  if [ ${#foreign[@]} -gt 0 ]; then
    printf 'redis-cluster: %s\n' "${foreign[@]}" >&2
    echo "redis-cluster: not this data root's nodes ($data_root): stop them (Gazette nodes: with their checkout's \`bash infra/redis/cluster.sh stop\`, same GAZETTE_DATA_DIR and REDIS_CLUSTER_PORT), or set REDIS_CLUSTER_PORT to a free range of six ports" >&2
    exit 1
  fi
  local o pid odir
  for o in ${orphans[@]+"${orphans[@]}"}; do
    IFS=: read -r p pid odir <<<"$o"
    echo "redis-cluster: the redis-server on 127.0.0.1:$p (pid $pid) lost its data folder $odir (deleted); stopping it"
    redis_stop_node "$p" "$pid" &
  done
  wait
}

start() {
  ensure_installed
  local started=$SECONDS p fresh=1
  claim_ports
  if all_ok 2>/dev/null; then echo "redis-cluster: already up on 127.0.0.1:${ports[0]}-${ports[5]} (reused)"; return 0; fi
  for p in "${ports[@]}"; do
    [ -s "$dir/$p/nodes.conf" ] && fresh=0
    answers "$p" || start_node "$p"
  done
  for p in "${ports[@]}"; do wait_until "node $p answering" 30 answers "$p"; done
  if [ "$fresh" -eq 1 ]; then
    local addrs=()
    for p in "${ports[@]}"; do addrs+=("127.0.0.1:$p"); done
    redis-cli --cluster create "${addrs[@]}" --cluster-replicas 1 --cluster-yes >"$dir/create.log" 2>&1 \
      || { cat "$dir/create.log" >&2; exit 1; }
  fi
  wait_until "cluster_state:ok on every node" 60 all_ok
  wait_until "three replicas in sync" 60 replicas_synced
  echo "redis-cluster: up on 127.0.0.1:${ports[0]}-${ports[5]} (3 masters, 3 replicas; data in $dir; $((SECONDS - started))s)"
}

stop() {
  local p pid any=0
  for p in "${ports[@]}"; do
    if [ -f "$dir/$p/redis.pid" ]; then
      pid="$(cat "$dir/$p/redis.pid")"
      rm -f "$dir/$p/redis.pid"
      if kill -0 "$pid" 2>/dev/null; then
        any=1
        cli "$p" shutdown nosave >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
        while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
        continue
      fi
    fi
    # No live pid file (it may have gone with a removed data folder): what answers on the port.
    answers "$p" || continue
    redis_owner "$p" "$dir/$p" "redis-cluster/$p/redis.pid"
    case "$REDIS_OWNER" in
      ours | orphan)
        any=1
        redis_stop_node "$p" "$REDIS_OWNER_PID"
        echo "redis-cluster: stopped the $(owner_label "$REDIS_OWNER") node on 127.0.0.1:$p (pid ${REDIS_OWNER_PID:-unknown}, data folder $REDIS_OWNER_DIR)" ;;
      *) echo "redis-cluster: the Redis on 127.0.0.1:$p is not this checkout's (${REDIS_OWNER_DIR:-folder unknown}): not stopped" ;;
    esac
  done
  if [ "$any" -eq 1 ]; then echo "redis-cluster: stopped"; else echo "redis-cluster: not started by Gazette (nothing to stop)"; fi
}

status() {
  local p
  for p in "${ports[@]}"; do
    if answers "$p"; then
      cli "$p" cluster info | tr -d '\r' | grep -E '^cluster_(state|known_nodes|size):' | tr '\n' ' '
      echo "(port $p)"
      state_ok "$p" && return 0
    fi
  done
  echo "redis-cluster: down"
  return 1
}

# The port of the live master that serves a hash slot (from CLUSTER NODES).
master_port_of_slot() {
  local slot="$1" p
  for p in "${ports[@]}"; do
    answers "$p" || continue
    cli "$p" cluster nodes | tr -d '\r' | awk -v s="$slot" '
      $3 ~ /master/ && $3 !~ /fail/ {
        for (i = 9; i <= NF; i++) {
          n = split($i, r, "-"); lo = r[1] + 0; hi = (n > 1 ? r[2] : r[1]) + 0
          if (lo <= s && s <= hi) { split($2, a, "[:@]"); print a[2]; exit }
        }
      }'
    return 0
  done
}

kill_master() {
  local key="${1:-{gazette\}}" slot port pid p
  for p in "${ports[@]}"; do answers "$p" && { slot="$(cli "$p" cluster keyslot "$key" | tr -d '\r')"; break; }; done
  port="$(master_port_of_slot "$slot")"
  [ -n "$port" ] || { echo "redis-cluster: no master found for slot $slot" >&2; exit 1; }
  pid="$(cat "$dir/$port/redis.pid")"
  kill -KILL "$pid"
  echo "$port"
}

url() {
  local hosts=() p
  for p in "${ports[@]}"; do hosts+=("127.0.0.1:$p"); done
  (IFS=,; echo "redis+cluster://${hosts[*]}")
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  kill-master) kill_master "${2:-}" ;;
  url) url ;;
  *) echo "usage: $0 start|stop|status|kill-master [key]|url" >&2; exit 2 ;;
esac
