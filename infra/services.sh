#!/usr/bin/env bash
# Starts, stops or reports the backing services Gazette needs: Redis and Elasticsearch.
# When REDIS_URL / ELASTICSEARCH_URL are set, those are used and nothing is started for them.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

case "${1:-}" in
  start)
    if [ -n "${REDIS_URL:-}" ]; then echo "redis: using REDIS_URL (nothing started)"; else bash "$here/redis/redis.sh" start; fi
    if [ -n "${ELASTICSEARCH_URL:-}" ]; then echo "elasticsearch: using ELASTICSEARCH_URL (nothing started)"; else bash "$here/elasticsearch/es.sh" start; fi
    ;;
  stop)
    [ -n "${REDIS_URL:-}" ] || bash "$here/redis/redis.sh" stop
    [ -n "${ELASTICSEARCH_URL:-}" ] || bash "$here/elasticsearch/es.sh" stop
    ;;
  status)
    rc=0
    bash "$here/redis/redis.sh" status || rc=1
    bash "$here/elasticsearch/es.sh" status || rc=1
    exit $rc
    ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
