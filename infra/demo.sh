#!/usr/bin/env bash
# `npm run demo`: installs what is missing, starts Redis and Elasticsearch, builds (incrementally), serves the demo
# news site on 127.0.0.1, runs the four services, crawls the site and prints one article
# with its related articles. The services stay up; `npm run stop` stops everything.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash infra/ensure-deps.sh
bash infra/services.sh start
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:${REDIS_PORT:-6379}}"
export ELASTICSEARCH_URL="${ELASTICSEARCH_URL:-http://127.0.0.1:${ES_PORT:-9200}}"
echo "== build"; npx tsc -b tsconfig.build.json
exec node packages/devstack/dist/demo.js "$@"
