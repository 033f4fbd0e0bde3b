#!/usr/bin/env bash
# Local single-node Elasticsearch for Gazette: es.sh start|stop|status
#
#   start   reuse this data root's Elasticsearch already answering on 127.0.0.1:$ES_PORT (an orphan
#           whose folder was removed is stopped; see docs/running.md), or build (once)
#           and start one in the background, then wait until it is healthy (yellow or green), or
#           red with nothing left to recover (an index no node can hold: named in a warning)
#   stop    stop the node this script started (pid file), wait for it to exit
#   status  say whether Elasticsearch answers on 127.0.0.1:$ES_PORT (exit 0 up, 3 down)
#   build   build the launcher if needed, start nothing (cluster.sh does this before starting nodes)
#
# Environment:
#   ES_PORT            HTTP port (default 9200)
#   ES_TRANSPORT_PORT  transport port or range (default 9300-9399)
#   GAZETTE_DATA_DIR   data root (default: .data at the repository root); the node keeps its
#                      data, logs, pid file and tmp in its elasticsearch/ sub-folder
#   ES_JAVA_HOME       JDK (17 or newer) to build and run with (default: JAVA_HOME, else java on PATH)
#   ES_HEAP            maximum heap (default 1g)
#   ES_JAVA_OPTS       extra JVM options, appended last
#   ES_DISK_THRESHOLDS true (default): disk watermarks on, as in production; false turns them off
#   ES_START_TIMEOUT   seconds to wait for health on start (default 180)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

DATA_ROOT="${GAZETTE_DATA_DIR:-$ROOT/.data}"
mkdir -p "$DATA_ROOT"
DATA_ROOT="$(cd "$DATA_ROOT" && pwd)"
ES_DIR="$DATA_ROOT/elasticsearch"
PID_FILE="$ES_DIR/es.pid"
LOG_DIR="$ES_DIR/logs"
LOG_FILE="$LOG_DIR/elasticsearch.log"

ES_PORT="${ES_PORT:-9200}"
URL="http://127.0.0.1:$ES_PORT"
START_TIMEOUT="${ES_START_TIMEOUT:-180}"
HEAP="${ES_HEAP:-1g}"

TARGET="$HERE/target"
JAR="$TARGET/gazette-elasticsearch.jar"
STAMP="$TARGET/.built"
MAIN_CLASS="dev.gazette.es.Launcher"

# shellcheck source=../lib/owner.sh
. "$HERE/../lib/owner.sh"

log() { printf 'es.sh: %s\n' "$*"; }
die() { printf 'es.sh: %s\n' "$*" >&2; exit 1; }

command -v curl >/dev/null 2>&1 || die "curl is required"

java_home() {
  if [[ -n "${ES_JAVA_HOME:-}" ]]; then
    printf '%s' "$ES_JAVA_HOME"
  elif [[ -n "${JAVA_HOME:-}" ]]; then
    printf '%s' "$JAVA_HOME"
  fi
}

java_bin() {
  local home
  home="$(java_home)"
  if [[ -n "$home" ]]; then
    [[ -x "$home/bin/java" ]] || die "no java at $home/bin/java (ES_JAVA_HOME/JAVA_HOME)"
    printf '%s' "$home/bin/java"
  else
    command -v java >/dev/null 2>&1 || die "java not found: install a JDK 17+ or set ES_JAVA_HOME"
    command -v java
  fi
}

# Prints the Java feature version of $1, failing below 17.
java_feature() {
  local java="$1" feature
  feature="$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')"
  [[ "$feature" =~ ^[0-9]+$ ]] || die "$java is not Java 17 or newer (java.specification.version: ${feature:-unknown})"
  (( feature >= 17 )) || die "$java is Java $feature; Elasticsearch 8 needs 17 or newer (set ES_JAVA_HOME)"
  printf '%s' "$feature"
}

# True when something on the port answers as Elasticsearch.
es_answers() {
  curl -s -o /dev/null -D - --max-time 3 "$URL/" 2>/dev/null | tr -d '\r' | grep -qi '^x-elastic-product: *Elasticsearch'
}

# The pid in the pid file, if that process is still our launcher.
our_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r "/proc/$pid/cmdline" ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "$MAIN_CLASS" || return 1
  fi
  printf '%s' "$pid"
}

# Whose Elasticsearch answers on the port. Sets ES_OWNER to
#   ours     its path.home is $ES_DIR: reuse it
#   orphan   a node of this launcher on this machine whose path.home was removed (ES_OWNER_PID set)
#   gazette  a live node of this launcher with another data root (ES_OWNER_HOME)
#   foreign  an Elasticsearch not started by this launcher (or not shown to be a process here)
#   unknown  neither the node nor /proc tells its path.home, or its path.home is gone but its process
#            cannot be seen (the caller reuses it, warning)
es_owner() {
  local body pid home="" listeners cmd="" verified=0
  ES_OWNER=unknown ES_OWNER_PID="" ES_OWNER_HOME=""
  body="$(curl -s --max-time 10 "$URL/_nodes/_local/settings,process?filter_path=nodes.*.settings.path.home,nodes.*.process.id" 2>/dev/null || true)"
  pid="$(sed -n 's/.*"process":{"id":\([0-9]*\)}.*/\1/p' <<<"$body")"
  home="$(sed -n 's/.*"path":{"home":"\([^"]*\)"}.*/\1/p' <<<"$body")"
  if [[ ! "$pid" =~ ^[0-9]+$ ]]; then pid="$(owner_listener_pids "$ES_PORT" | head -n 1)"; fi
  if [[ "$pid" =~ ^[0-9]+$ ]]; then
    cmd="$(owner_cmdline "$pid")"
    listeners="$(owner_listener_pids "$ES_PORT")"
    if [[ "$cmd" == *"$MAIN_CLASS"* ]] && { [ -z "$listeners" ] || grep -qx "$pid" <<<"$listeners"; }; then
      verified=1
      # The launcher's JVM keeps its tmp folder in path.home: -Djava.io.tmpdir=<home>/tmp.
      [ -n "$home" ] || home="$(grep -o -- '-Djava.io.tmpdir=[^ ]*' <<<"$cmd" | sed 's/^-Djava.io.tmpdir=//; s#/tmp$##' || true)"
    elif [ -n "$cmd" ]; then
      ES_OWNER=foreign ES_OWNER_PID="$pid" ES_OWNER_HOME="${home:-unknown}"
      return 0
    fi
  fi
  [ -n "$home" ] || return 0
  # A folder removed and made again under the same name: the node still holds the old lock file.
  if [ "$verified" -eq 1 ] && owner_holds_deleted "$pid" "$home/*node.lock"; then home="$home (deleted)"; fi
  ES_OWNER_HOME="${home% (deleted)}"
  [ "$verified" -eq 1 ] && ES_OWNER_PID="$pid"
  if ! owner_gone "$home" && owner_same_dir "$home" "$ES_DIR"; then
    ES_OWNER=ours
  elif [ "$verified" -eq 1 ] && owner_gone "$home"; then
    ES_OWNER=orphan
  elif [ -z "${cmd:-}" ] && owner_gone "$home"; then
    # Its folder is gone but its process cannot be seen here (no /proc): leave it to the caller.
    ES_OWNER=unknown
  elif [ "$verified" -eq 1 ]; then
    ES_OWNER=gazette
  else
    ES_OWNER=foreign
  fi
}

# Before a start: reuse the node on the port when it is ours (returns 1), stop an orphan, fail for
# anything else.
claim_port() {
  if es_answers; then
    es_owner
    case "$ES_OWNER" in
      ours) log "Elasticsearch already answers at $URL: reusing it, nothing started"; return 1 ;;
      unknown) log "warning: cannot tell the data folder of the Elasticsearch at $URL; reusing it, nothing started" >&2; return 1 ;;
      orphan)
        log "the node at $URL (pid $ES_OWNER_PID) lost its data folder $ES_OWNER_HOME (deleted); stopping it and starting ours"
        owner_stop_pid "$ES_OWNER_PID" 60
        return 0 ;;
      gazette)
        die "$URL is taken by Gazette's Elasticsearch (pid $ES_OWNER_PID) of $(owner_data_root_of "$ES_OWNER_HOME" elasticsearch), not $DATA_ROOT: stop it with that checkout's \`bash infra/elasticsearch/es.sh stop\` (same GAZETTE_DATA_DIR and ES_PORT), or set ES_PORT and ES_TRANSPORT_PORT to free ports" ;;
      *)
        die "$URL is taken by an Elasticsearch not started by this script (pid ${ES_OWNER_PID:-unknown}, path.home $ES_OWNER_HOME): set ELASTICSEARCH_URL=$URL to use it, or stop it, or set ES_PORT and ES_TRANSPORT_PORT to free ports" ;;
    esac
  fi
  if owner_port_busy "$ES_PORT"; then
    die "127.0.0.1:$ES_PORT is taken by $(owner_describe_port "$ES_PORT"), which is not Elasticsearch: free the port or set ES_PORT to a free one"
  fi
}

build_if_needed() {
  if [[ -f "$STAMP" && -f "$JAR" && -d "$TARGET/lib" ]] \
     && [[ -z "$(find "$HERE/pom.xml" "$HERE/src" -newer "$STAMP" -print -quit)" ]]; then
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || die "mvn (Maven 3.8+) is required to build the launcher"
  log "building launcher into target/ (the first build on a machine downloads about 100 MB from Maven Central) ..."
  # Start from an empty target/ only when the dependencies may have changed (stale jars in
  # target/lib would clash); a change under src/ only needs the launcher jar rebuilt.
  local goals=(package) home
  if [[ ! -f "$STAMP" || "$HERE/pom.xml" -nt "$STAMP" ]]; then
    goals=(clean package)
  fi
  local build_log; build_log="$(mktemp)"
  build_failed() { cat "$build_log" >&2; die "the launcher build failed (log above)"; }
  home="$(java_home)"
  if [[ -n "$home" ]]; then
    (cd "$HERE" && JAVA_HOME="$home" mvn -q -B -Dstyle.color=never "${goals[@]}") >"$build_log" 2>&1 || build_failed
  else
    (cd "$HERE" && mvn -q -B -Dstyle.color=never "${goals[@]}") >"$build_log" 2>&1 || build_failed
  fi
  rm -f "$build_log"
  touch "$STAMP"
}

print_log_tail() {
  if [[ -f "$LOG_FILE" ]]; then
    echo "----- last 50 lines of $LOG_FILE -----" >&2
    tail -n 50 "$LOG_FILE" >&2
    echo "-----" >&2
  fi
}

# One number or word of a _cluster/health answer (read from stdin).
health_field() { sed -n "s/.*\"$1\":\"\{0,1\}\([a-z0-9]*\).*/\1/p"; }

# True when the cluster is red and has settled there: a master answers, and nothing is being
# initialised, fetched, delayed or queued, so no copy of some primary can be assigned (an index left
# red in the data folder, say one whose allocation rules no node meets). Waiting longer changes nothing.
settled_red() {
  local health field
  health="$(curl -s --max-time 10 "$URL/_cluster/health" 2>/dev/null || true)"
  [[ "$(health_field status <<<"$health")" == "red" ]] || return 1
  for field in initializing_shards relocating_shards delayed_unassigned_shards number_of_pending_tasks \
    number_of_in_flight_fetch; do
    [[ "$(health_field "$field" <<<"$health")" == "0" ]] || return 1
  done
}

# True once the cluster's stored state is recovered. Before that the elected master reports on a
# cluster without any index, green, so a health check alone can pass before the data is back.
state_recovered() {
  local blocks
  blocks="$(curl -s --max-time 10 "$URL/_cluster/state/blocks" 2>/dev/null || true)"
  [[ "$blocks" == *'"blocks"'* && "$blocks" != *"state not recovered"* ]]
}

wait_for_health() {
  local pid="$1" deadline code settled=0 red
  deadline=$(( SECONDS + START_TIMEOUT ))
  while (( SECONDS < deadline )); do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PID_FILE"
      print_log_tail
      die "Elasticsearch (pid $pid) exited during start-up"
    fi
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 \
      "$URL/_cluster/health?wait_for_status=yellow&timeout=5s" 2>/dev/null || true)"
    if [[ "$code" == "200" ]] && state_recovered; then
      return 0
    fi
    # Red for three checks in a row (about 15 s) with nothing under way: the node works, and the
    # indices that are red stay so until someone repairs or deletes them. Say which, and go on.
    if settled_red; then
      settled=$(( settled + 1 ))
      if (( settled >= 3 )); then
        red="$(curl -s --max-time 10 "$URL/_cat/indices?health=red&h=index" 2>/dev/null | tr '\n' ' ')"
        log "warning: up, but these indices are red (a primary no node can hold): ${red:-unknown}"
        log "they refuse reads and writes until repaired or deleted (curl -X DELETE $URL/<index>)"
        return 0
      fi
    else
      settled=0
    fi
    sleep 0.5
  done
  print_log_tail
  log "not healthy after ${START_TIMEOUT}s; stopping pid $pid"
  stop_pid "$pid"
  die "Elasticsearch did not become healthy on $URL"
}

stop_pid() {
  local pid="$1" i
  kill -TERM "$pid" 2>/dev/null || true
  for (( i = 0; i < 600; i++ )); do          # up to 60 s
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "pid $pid still running after 60 s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for (( i = 0; i < 100; i++ )); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
  fi
  rm -f "$PID_FILE"
}

cmd_start() {
  local pid started
  started=$SECONDS
  if pid="$(our_pid)" && ! es_answers; then
    log "our node (pid $pid) is still starting; waiting for it to be healthy"
    wait_for_health "$pid"
    log "Elasticsearch is up at $URL (pid $pid)"
    return 0
  fi
  claim_port || return 0
  rm -f "$PID_FILE"

  local java feature extra=()
  java="$(java_bin)"
  feature="$(java_feature "$java")"
  (( feature >= 21 )) && extra+=(--enable-native-access=ALL-UNNAMED)
  build_if_needed

  mkdir -p "$LOG_DIR" "$ES_DIR/tmp"
  log "starting Elasticsearch on $URL (data: $ES_DIR, log: $LOG_FILE)"
  # JVM flags follow the stock distribution's system options, minus the security manager.
  ES_PORT="$ES_PORT" GAZETTE_DATA_DIR="$DATA_ROOT" ES_PATH_CONF="${ES_PATH_CONF:-$HERE/config}" \
  nohup "$java" \
    -Xms256m "-Xmx$HEAP" -Xss1m \
    -XX:+UseG1GC -XX:+HeapDumpOnOutOfMemoryError "-XX:HeapDumpPath=$ES_DIR/tmp" \
    -XX:-OmitStackTraceInFastThrow \
    -Djava.awt.headless=true -Dfile.encoding=UTF-8 -Djna.nosys=true \
    -Djava.locale.providers=SPI,CLDR \
    -Des.networkaddress.cache.ttl=60 -Des.networkaddress.cache.negative.ttl=10 \
    -Dio.netty.noUnsafe=true -Dio.netty.noKeySetOptimization=true -Dio.netty.recycler.maxCapacityPerThread=0 \
    -Dlog4j.shutdownHookEnabled=false -Dlog4j2.disable.jmx=true -Dlog4j2.formatMsgNoLookups=true \
    "-Djava.io.tmpdir=$ES_DIR/tmp" \
    ${extra[@]+"${extra[@]}"} \
    ${ES_JAVA_OPTS:-} \
    -cp "$JAR:$TARGET/lib/*" "$MAIN_CLASS" \
    >>"$LOG_FILE" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$PID_FILE"

  wait_for_health "$pid"
  log "Elasticsearch is up at $URL (pid $pid, healthy after $(( SECONDS - started ))s)"
}

cmd_stop() {
  local pid
  if ! pid="$(our_pid)"; then
    rm -f "$PID_FILE"
    # No live pid file (it may have gone with a removed data folder): what answers on the port.
    if es_answers; then
      es_owner
      case "$ES_OWNER" in
        ours | orphan)
          if [ -n "$ES_OWNER_PID" ]; then
            log "stopping the $(owner_label "$ES_OWNER") node at $URL (pid $ES_OWNER_PID, path.home $ES_OWNER_HOME) ..."
            owner_stop_pid "$ES_OWNER_PID" 60
            log "stopped"
            return 0
          fi ;;
      esac
      log "the Elasticsearch at $URL is not this checkout's (pid ${ES_OWNER_PID:-unknown}, path.home ${ES_OWNER_HOME:-unknown}): not stopped"
      return 0
    fi
    log "not running (no pid file: nothing started by es.sh)"
    return 0
  fi
  log "stopping Elasticsearch (pid $pid) ..."
  stop_pid "$pid"
  log "stopped"
}

cmd_status() {
  local pid=""
  pid="$(our_pid || true)"
  if es_answers; then
    local health
    health="$(curl -s --max-time 5 "$URL/_cluster/health" 2>/dev/null | sed -n 's/.*"status":"\([a-z]*\)".*/\1/p')"
    if [[ -n "$pid" ]]; then
      log "up at $URL (started by es.sh, pid $pid, status ${health:-unknown})"
    else
      log "up at $URL (not started by es.sh, status ${health:-unknown})"
    fi
    return 0
  fi
  if [[ -n "$pid" ]]; then
    log "starting or unresponsive: pid $pid runs but $URL does not answer"
  else
    log "down: nothing answers at $URL"
  fi
  return 3
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  build) build_if_needed ;;
  *) echo "usage: $0 start|stop|status|build" >&2; exit 2 ;;
esac
