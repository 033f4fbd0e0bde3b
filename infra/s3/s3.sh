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
  if answers; then log "an S3 server already answers on 127.0.0.1:$port (reused)"; return 0; fi
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
