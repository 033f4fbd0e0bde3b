#!/usr/bin/env bash
# Local S3 API server for Gazette's object-storage archive: s3.sh start|stop|status
#
# S3Proxy (org.gaul:s3proxy from Maven Central) with its filesystem backend: a genuine S3 REST
# server (signature v2/v4, ranged GETs, multipart uploads) that keeps each bucket as a folder.
#
# Environment:
#   S3_PORT            HTTP port (default 9000)
#   S3_ACCESS_KEY_ID   access key the server accepts (default gazette)
#   S3_SECRET_ACCESS_KEY  its secret (default gazette-local-secret)
#   S3_BUCKET          bucket created on start (default gazette-archive)
#   GAZETTE_DATA_DIR   data root (default: .data at the repository root); buckets live in s3/buckets
#   S3_JAVA_HOME       JDK 11+ to build and run with (default: JAVA_HOME, else java on PATH)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
data_root="${GAZETTE_DATA_DIR:-$root/.data}"
dir="$data_root/s3"
port="${S3_PORT:-9000}"
access_key="${S3_ACCESS_KEY_ID:-gazette}"
secret_key="${S3_SECRET_ACCESS_KEY:-gazette-local-secret}"
bucket="${S3_BUCKET:-gazette-archive}"
pidfile="$dir/s3proxy.pid"
logfile="$dir/s3proxy.log"
lib="$here/target/lib"
stamp="$here/target/.built"
main_class="org.gaul.s3proxy.Main"

# shellcheck source=../lib/owner.sh
. "$here/../lib/owner.sh"

log() { printf 's3.sh: %s\n' "$*"; }
die() { printf 's3.sh: %s\n' "$*" >&2; exit 1; }

java_bin() {
  local home="${S3_JAVA_HOME:-${JAVA_HOME:-}}"
  if [[ -n "$home" ]]; then printf '%s' "$home/bin/java"; else command -v java || die "java not found: install a JDK 11+"; fi
}

# S3Proxy answers an anonymous request with an S3 XML error (403), which proves it is up.
answers() { curl -s --max-time 3 "http://127.0.0.1:$port/" 2>/dev/null | grep -q '<Error>\|<ListAllMyBucketsResult'; }

our_pid() {
  [[ -f "$pidfile" ]] || return 1
  local pid; pid="$(cat "$pidfile")"
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$main_class" || return 1
  printf '%s' "$pid"
}

# Whose S3 server answers on the port. Sets S3_OWNER to ours (its --properties file is in $dir),
# orphan (an S3Proxy whose folder was removed; S3_OWNER_PID set), gazette (an S3Proxy of another
# data root, S3_OWNER_DIR), foreign (another program) or unknown (no process to be seen: reuse it).
s3_owner() {
  local pid cmd conf=""
  S3_OWNER=unknown S3_OWNER_PID="" S3_OWNER_DIR=""
  for pid in $(owner_listener_pids "$port"); do
    cmd="$(owner_cmdline "$pid")"
    [ -n "$cmd" ] || continue
    S3_OWNER_PID="$pid"
    conf="$(sed -n 's/.* --properties \([^ ]*\).*/\1/p' <<<"$cmd")"
    # Gazette's: S3Proxy's main class, with the properties file this script writes.
    if [[ "$cmd" != *"$main_class"* || "$conf" != */s3/s3proxy.conf ]]; then S3_OWNER=foreign; return 0; fi
    break
  done
  [ -n "$conf" ] || return 0
  S3_OWNER_DIR="$(dirname "$conf")"
  if [ -f "$conf" ] && owner_same_dir "$S3_OWNER_DIR" "$dir"; then
    S3_OWNER=ours
  elif [ ! -f "$conf" ]; then
    S3_OWNER=orphan
  else
    S3_OWNER=gazette
  fi
}

# Before a start: reuse the server on the port when it is ours (returns 1), stop an orphan, fail for
# anything else.
claim_port() {
  if answers; then
    s3_owner
    case "$S3_OWNER" in
      ours) log "an S3 server already answers on 127.0.0.1:$port (reused)"; return 1 ;;
      unknown) log "warning: cannot tell whose S3 server answers on 127.0.0.1:$port; reusing it" >&2; return 1 ;;
      orphan)
        log "the S3Proxy on 127.0.0.1:$port (pid $S3_OWNER_PID) lost its data folder $S3_OWNER_DIR (deleted); stopping it and starting ours"
        owner_stop_pid "$S3_OWNER_PID" 30
        return 0 ;;
      gazette)
        die "127.0.0.1:$port is taken by Gazette's S3Proxy (pid $S3_OWNER_PID) of $(owner_data_root_of "$S3_OWNER_DIR" s3), not $data_root: stop it with that checkout's \`bash infra/s3/s3.sh stop\` (same GAZETTE_DATA_DIR and S3_PORT), or set S3_PORT to a free port" ;;
    esac
  fi
  if owner_port_busy "$port"; then
    die "127.0.0.1:$port is taken by $(owner_describe_port "$port"), which is not Gazette's S3Proxy: free the port or set S3_PORT to a free one"
  fi
}

build_if_needed() {
  if [[ -f "$stamp" && -d "$lib" && ! "$here/pom.xml" -nt "$stamp" ]]; then return 0; fi
  command -v mvn >/dev/null 2>&1 || die "mvn (Maven 3.8+) is required to fetch S3Proxy"
  log "fetching S3Proxy and its dependencies from Maven Central (about 45 MB, once) ..."
  local out; out="$(mktemp)"
  (cd "$here" && mvn -q -B -Dstyle.color=never clean package) >"$out" 2>&1 || { cat "$out" >&2; die "the S3Proxy fetch failed"; }
  rm -f "$out"
  touch "$stamp"
}

start() {
  claim_port || return 0
  build_if_needed
  mkdir -p "$dir/buckets/$bucket"
  cat >"$dir/s3proxy.conf" <<CONF
s3proxy.endpoint=http://127.0.0.1:$port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$access_key
s3proxy.credential=$secret_key
jclouds.provider=filesystem
jclouds.filesystem.basedir=$dir/buckets
CONF
  local java; java="$(java_bin)"
  nohup "$java" -Xmx256m -cp "$lib/*" "$main_class" --properties "$dir/s3proxy.conf" \
    >>"$logfile" 2>&1 </dev/null &
  echo $! >"$pidfile"
  local deadline=$((SECONDS + 60)) pid; pid="$(cat "$pidfile")"
  until answers; do
    kill -0 "$pid" 2>/dev/null || { tail -n 40 "$logfile" >&2; die "S3Proxy exited during start-up"; }
    (( SECONDS < deadline )) || { tail -n 40 "$logfile" >&2; die "S3Proxy did not answer within 60 s"; }
    sleep 0.2
  done
  log "S3Proxy up on http://127.0.0.1:$port (bucket $bucket, data in $dir/buckets)"
}

stop() {
  local pid
  if pid="$(our_pid)"; then
    kill -TERM "$pid"
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    rm -f "$pidfile"
    log "stopped"
  else
    rm -f "$pidfile"
    # No live pid file (it may have gone with a removed data folder): what answers on the port.
    if answers; then
      s3_owner
      case "$S3_OWNER" in
        ours | orphan)
          owner_stop_pid "$S3_OWNER_PID" 30
          log "stopped the $(owner_label "$S3_OWNER") S3Proxy on 127.0.0.1:$port (pid $S3_OWNER_PID, data folder $S3_OWNER_DIR)" ;;
        *) log "the S3 server on 127.0.0.1:$port is not this checkout's (pid ${S3_OWNER_PID:-unknown}): not stopped" ;;
      esac
      return 0
    fi
    log "not started by Gazette (nothing to stop)"
  fi
}

status() { if answers; then log "up on http://127.0.0.1:$port"; else log "down"; return 3; fi; }

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
