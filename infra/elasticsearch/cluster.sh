#!/usr/bin/env bash
# Local three-node Elasticsearch cluster for Gazette: cluster.sh start|stop|status|kill N|url
#
# Three nodes of the same Maven-built node as es.sh (es.sh starts each), each with its own data
# folder and ports, discovering each other on loopback; the first master is elected among the three
# (cluster.initial_master_nodes). Gazette's index keeps one replica on a cluster (auto_expand_replicas).
#
#   start   start the nodes that are not running (all three at once: a node is healthy only once a
#           master is elected), wait until the cluster is green with three nodes (or, with three
#           nodes, settled short of green: indices no placement can complete, named in a warning)
#   stop    stop the nodes this script started
#   status  print the cluster health
#   kill N  SIGKILL node N (1-3), as a crash would
#   url     print ELASTICSEARCH_URL for the cluster (the three node URLs, comma-separated)
#
# Environment:
#   ES_CLUSTER_PORT            HTTP port of node 1; nodes 2 and 3 use the next two (default 9250)
#   ES_CLUSTER_TRANSPORT_PORT  transport port of node 1; likewise (default 9350)
#   ES_CLUSTER_HEAP            heap of each node (default 512m)
#   ES_START_TIMEOUT           seconds each node may take to join a healthy cluster (default 420)
#   GAZETTE_DATA_DIR           data root (default .data); node N lives in es-cluster/node-N
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
data_root="${GAZETTE_DATA_DIR:-$root/.data}"
mkdir -p "$data_root"
data_root="$(cd "$data_root" && pwd)"
http_base="${ES_CLUSTER_PORT:-9250}"
transport_base="${ES_CLUSTER_TRANSPORT_PORT:-9350}"
heap="${ES_CLUSTER_HEAP:-512m}"
start_timeout="${ES_START_TIMEOUT:-420}"
nodes=(1 2 3)

http_port() { echo $((http_base + $1 - 1)); }
transport_port() { echo $((transport_base + $1 - 1)); }
node_dir() { echo "$data_root/es-cluster/node-$1"; }

seeds() {
  local n out=()
  for n in "${nodes[@]}"; do out+=("127.0.0.1:$(transport_port "$n")"); done
  (IFS=,; echo "${out[*]}")
}

node_env() {
  local n="$1"
  echo GAZETTE_DATA_DIR="$(node_dir "$n")" ES_PORT="$(http_port "$n")" ES_TRANSPORT_PORT="$(transport_port "$n")" \
    ES_NODE_NAME="gazette-$n" ES_CLUSTER_NAME="gazette-cluster" ES_SEED_HOSTS="$(seeds)" \
    ES_INITIAL_MASTER_NODES="gazette-1,gazette-2,gazette-3" ES_HEAP="$heap" ES_START_TIMEOUT="$start_timeout"
}

es() { local n="$1"; shift; env $(node_env "$n") bash "$here/es.sh" "$@"; }

health() { curl -s --max-time 5 "http://127.0.0.1:$(http_port "${1:-1}")/_cluster/health${2:-}" 2>/dev/null; }
# One number or word of a _cluster/health answer (read from stdin).
health_field() { sed -n "s/.*\"$1\":\"\{0,1\}\([a-z0-9]*\).*/\1/p"; }
# Three nodes joined and nothing being initialised, relocated, fetched, delayed or queued.
settled_with_three() {
  local answer field
  answer="$(health 1)"
  [ "$(health_field number_of_nodes <<<"$answer")" = "3" ] || return 1
  for field in initializing_shards relocating_shards delayed_unassigned_shards number_of_pending_tasks \
    number_of_in_flight_fetch; do
    [ "$(health_field "$field" <<<"$answer")" = "0" ] || return 1
  done
}

start() {
  local started=$SECONDS n pids=() rc=0 logs=()
  # Build once up front so the three starts do not race on the build.
  bash "$here/es.sh" build
  for n in "${nodes[@]}"; do
    mkdir -p "$(node_dir "$n")"
    logs+=("$(node_dir "$n")/start.log")
    es "$n" start >"$(node_dir "$n")/start.log" 2>&1 &
    pids+=($!)
  done
  for i in "${!pids[@]}"; do wait "${pids[$i]}" || { rc=1; cat "${logs[$i]}" >&2; }; done
  [ "$rc" -eq 0 ] || exit 1
  local deadline=$((SECONDS + 180)) n_up=0 settled=0 status
  until health 1 '?wait_for_nodes=3&wait_for_status=green&timeout=5s' | grep -q '"timed_out":false'; do
    # Three nodes, not green, and nothing under way for three checks in a row: indices left in the
    # data folders that no placement can complete (named below); the cluster itself works.
    if settled_with_three; then settled=$((settled + 1)); else settled=0; fi
    if [ "$settled" -ge 3 ]; then
      status="$(health 1 | health_field status)"
      echo "es-cluster: warning: up but $status; indices not green: $(curl -s --max-time 5 \
        "http://127.0.0.1:$(http_port 1)/_cat/indices?h=index,health" |
        awk '$2 != "green" { printf "%s (%s) ", $1, $2 }')" >&2
      break
    fi
    if [ $SECONDS -ge $deadline ]; then echo "es-cluster: not green with 3 nodes after 180 s" >&2; health 1 >&2; exit 1; fi
    sleep 0.5
  done
  n_up="$(health 1 | health_field number_of_nodes)"
  status="$(health 1 | health_field status)"
  echo "es-cluster: up, $n_up nodes, $status, at $(url) ($((SECONDS - started))s)"
}

stop() {
  local n
  for n in "${nodes[@]}"; do es "$n" stop | sed "s/^/node $n: /"; done
}

status() {
  local n
  for n in "${nodes[@]}"; do
    if health "$n" >/dev/null && [ -n "$(health "$n")" ]; then
      echo "es-cluster: $(health "$n")"
      return 0
    fi
  done
  echo "es-cluster: down"
  return 3
}

kill_node() {
  local n="$1" pidfile pid
  pidfile="$(node_dir "$n")/elasticsearch/es.pid"
  [ -f "$pidfile" ] || { echo "es-cluster: node $n has no pid file" >&2; exit 1; }
  pid="$(cat "$pidfile")"
  kill -KILL "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -f "$pidfile"
  echo "es-cluster: node $n (pid $pid) killed"
}

url() {
  local n out=()
  for n in "${nodes[@]}"; do out+=("http://127.0.0.1:$(http_port "$n")"); done
  (IFS=,; echo "${out[*]}")
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  kill) [[ "${2:-}" =~ ^[123]$ ]] || { echo "usage: $0 kill 1|2|3" >&2; exit 2; }; kill_node "$2" ;;
  url) url ;;
  *) echo "usage: $0 start|stop|status|kill N|url" >&2; exit 2 ;;
esac
