#!/usr/bin/env bash
# `npm test`: installs what is missing, starts Redis and Elasticsearch (unless REDIS_URL /
# ELASTICSEARCH_URL point elsewhere), builds (tsc -b, incremental), then type-checks,
# lints and runs every test. End-to-end tests run the compiled services.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash infra/ensure-deps.sh
bash infra/chromium.sh
bash infra/services.sh start
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:${REDIS_PORT:-6379}}"
export ELASTICSEARCH_URL="${ELASTICSEARCH_URL:-http://127.0.0.1:${ES_PORT:-9200}}"
echo "== build"; npx tsc -b tsconfig.build.json
echo "== typecheck"; npx tsc -p tsconfig.json
echo "== lint"; npx eslint . --max-warnings 0
node infra/workspaces.mjs --check
npm run --silent bench:table -- --check
echo "== import circles"; npm run --silent lint:imports
echo "== format"; npx prettier --check . --log-level warn
echo "== tests"
results="$(mktemp)"
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$results" "$@" || status=$?
# One plain closing line with the counts, whatever the reporter printed above.
node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);' "$results" || true
rm -f "$results"
exit $status
