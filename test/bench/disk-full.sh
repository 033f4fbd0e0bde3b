#!/usr/bin/env bash
# `npm run bench:disk-full`: the archive disk-full scenario of test/faults/disk-full.test.ts with
# 1,000 pages (PAGES=N for another count). Starts Redis and Elasticsearch like `npm test` (unless
# REDIS_URL / ELASTICSEARCH_URL point elsewhere); prints the recovery figures. Needs root (tmpfs).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
bash infra/services.sh start
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:${REDIS_PORT:-6379}}"
export ELASTICSEARCH_URL="${ELASTICSEARCH_URL:-http://127.0.0.1:${ES_PORT:-9200}}"
export FAULTS_DISK_FULL_PAGES="${PAGES:-1000}"
exec npx vitest run --project integration test/faults/disk-full.test.ts
