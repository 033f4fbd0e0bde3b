#!/usr/bin/env bash
# Validates docker-compose.yml (and its `cluster` profile) with compose-go, the loader Docker
# Compose itself uses, since no Docker engine runs here. Builds the small checker once (Go from
# PATH, /usr/local/go, or Debian's golang-go installed with apt-get); modules come from the Go proxy.
#   check.sh [-profiles cluster] [compose files...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${GAZETTE_DATA_DIR:-$root/.data}/bin/compose-check"

find_go() {
  if command -v go >/dev/null 2>&1; then command -v go; return; fi
  if [ -x /usr/local/go/bin/go ]; then echo /usr/local/go/bin/go; return; fi
  echo "compose-check: installing Debian's golang-go" >&2
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq golang-go >/dev/null
  command -v go
}

if [[ ! -x "$bin" || "$here/main.go" -nt "$bin" || "$here/go.mod" -nt "$bin" ]]; then
  go="$(find_go)"
  mkdir -p "$(dirname "$bin")"
  (cd "$here" && "$go" build -o "$bin" .)
fi
cd "$root"
exec "$bin" "$@"
