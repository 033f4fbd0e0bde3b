#!/usr/bin/env bash
# A genuine WordPress (Debian's `wordpress` package) on 127.0.0.1 for end-to-end crawls:
#   wp.sh start          installs what is missing, starts MariaDB and PHP's built-in server, and
#                        creates and fills the site on its first start
#   wp.sh theme <slug>   switches the active theme (twentytwentythree, twentytwentyone)
#   wp.sh refill         empties the database and fills the site again
#   wp.sh update         edits, deletes, unpublishes, trashes and adds posts (infra/wordpress/update.php);
#                        writes updates.json; the next `start` fills the site again from scratch
#   wp.sh stop|status
# Settings: WP_PORT (8091), GAZETTE_DATA_DIR (.data), WP_POSTS (60), WP_DATASET (the ECB+ articles).
# Everything lives under $GAZETTE_DATA_DIR/wordpress: MariaDB's data dir and unix socket (no TCP
# port), the site folder, logs, and ground-truth.json (what the site holds, post by post).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
data_root="${GAZETTE_DATA_DIR:-$root/.data}"
case "$data_root" in /*) ;; *) data_root="$root/$data_root" ;; esac
dir="$data_root/wordpress"
port="${WP_PORT:-8091}"
posts="${WP_POSTS:-60}"
dataset="${WP_DATASET:-$root/../shared/datasets/ecbplus-events/articles.jsonl}"
wp_core=/usr/share/wordpress
themes=(twentytwentythree twentytwentyone)
sock="$dir/mysqld.sock"

# shellcheck source=../lib/owner.sh
. "$here/../lib/owner.sh"

log() { echo "[wordpress] $*" >&2; }

ensure_packages() {
  local missing=()
  [ -f "$wp_core/wp-settings.php" ] || missing+=(wordpress)
  command -v mariadbd > /dev/null 2>&1 || command -v mysqld > /dev/null 2>&1 || missing+=(mariadb-server)
  command -v php > /dev/null 2>&1 || missing+=(php-cli)
  local mods=""
  command -v php > /dev/null 2>&1 && mods="$(php -m 2> /dev/null || true)"
  grep -qix mysqli <<< "$mods" || missing+=(php-mysql)
  # The sitemaps (`/wp-sitemap.xml`) need SimpleXML.
  grep -qix simplexml <<< "$mods" || missing+=(php-xml)
  for t in "${themes[@]}"; do [ -d "$wp_core/wp-content/themes/$t" ] || missing+=("wordpress-theme-$t"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]} with apt-get"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
    --no-install-recommends "${missing[@]}" > /dev/null
}

mariadbd_bin() { command -v mariadbd || command -v mysqld || echo /usr/sbin/mariadbd; }
db_ping() { mariadb-admin --socket="$sock" --user=root ping > /dev/null 2>&1; }

wait_for() { # wait_for <what> <seconds> <command...>
  local what="$1" secs="$2"
  shift 2
  local deadline=$((SECONDS + secs))
  until "$@"; do
    if [ $SECONDS -ge $deadline ]; then
      log "$what did not come up within ${secs}s"
      return 1
    fi
    sleep 0.2
  done
}

start_db() {
  if db_ping; then return 0; fi
  mkdir -p "$dir"
  if [ ! -d "$dir/mysql/mysql" ]; then
    log "creating the MariaDB data dir"
    mariadb-install-db --no-defaults --user="$(id -un)" --datadir="$dir/mysql" \
      --auth-root-authentication-method=normal --skip-test-db > "$dir/mysql-install.log" 2>&1
  fi
  # Only a unix socket: no TCP port to collide with anything else on the machine.
  nohup "$(mariadbd_bin)" --no-defaults --user="$(id -un)" --datadir="$dir/mysql" --socket="$sock" \
    --pid-file="$dir/mysqld.pid" --skip-networking --log-error="$dir/mysqld.log" \
    --innodb-buffer-pool-size=64M --innodb-flush-log-at-trx-commit=2 > /dev/null 2>&1 &
  wait_for MariaDB 60 db_ping
  mariadb --socket="$sock" --user=root -e 'CREATE DATABASE IF NOT EXISTS wordpress CHARACTER SET utf8mb4'
}

build_site() {
  local site="$dir/site"
  mkdir -p "$site/wp-content/themes" "$site/wp-content/plugins" "$site/wp-content/uploads"
  for entry in "$wp_core"/*; do
    local name
    name="$(basename "$entry")"
    case "$name" in wp-config.php | wp-content) continue ;; esac
    ln -sfn "$entry" "$site/$name"
  done
  for t in "${themes[@]}"; do ln -sfn "$wp_core/wp-content/themes/$t" "$site/wp-content/themes/$t"; done
  # Last-Modified/ETag and 304s on posts, as the page-caching plugins of most WordPress sites send.
  mkdir -p "$site/wp-content/mu-plugins"
  ln -sfn "$here/validators.php" "$site/wp-content/mu-plugins/validators.php"
  sed -e "s|@SITE@|$site|g" -e "s|@SOCKET@|$sock|g" "$here/wp-config.php.in" > "$site/wp-config.php"
}

# Up when the sitemap answers 200 (PHP itself asks: no HTTP client needed on the machine).
http_up() {
  php -d default_socket_timeout=5 -r 'exit(@file_get_contents($argv[1]) === false ? 1 : 0);' \
    "http://127.0.0.1:$port/wp-sitemap.xml" > /dev/null 2>&1
}

# PHP's built-in server that listens on the port: sets PHP_OWNER to ours (it serves $dir/site),
# orphan (a server of this script whose site folder was removed), gazette (one of another data
# root), foreign (another program) or unknown (no process to be seen); PHP_OWNER_PGID is its
# process group (setsid made the server its leader), PHP_OWNER_SITE the folder it serves.
php_owner() {
  local pid cmd site
  PHP_OWNER=unknown PHP_OWNER_PID="" PHP_OWNER_PGID="" PHP_OWNER_SITE=""
  pid="$(owner_listener_pids "$port" | head -n 1)"
  [ -n "$pid" ] || return 0
  cmd="$(owner_cmdline "$pid")"
  PHP_OWNER_PID="$pid"
  site="$(sed -n 's/.* -t \([^ ]*\) .*/\1/p' <<< "$cmd")"
  # Gazette's: PHP's built-in server on this port, with this script's router and site folder.
  if [[ "$(owner_comm "$pid")" != php* || "$cmd" != *" -S 127.0.0.1:$port "* \
    || "$cmd" != *"/infra/wordpress/router.php"* || "$site" != */wordpress/site ]]; then
    PHP_OWNER=foreign
    return 0
  fi
  PHP_OWNER_SITE="$site"
  PHP_OWNER_PGID="$(awk '{ print $5 }' "/proc/$pid/stat" 2> /dev/null || true)"
  if owner_same_dir "$site" "$dir/site"; then
    PHP_OWNER=ours
  elif owner_gone "$site"; then
    PHP_OWNER=orphan
  else
    PHP_OWNER=gazette
  fi
}

# Stops the process group $1 when its leader is PHP's built-in server on our port.
stop_php_group() {
  local pgid="$1" deadline=$((SECONDS + 30))
  [[ "$pgid" =~ ^[1-9][0-9]*$ ]] && [[ "$(owner_cmdline "$pgid")" == *" -S 127.0.0.1:$port "* ]] || return 0
  kill -- "-$pgid" 2> /dev/null || true
  while kill -0 "$pgid" 2> /dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
}

# Before a start: reuse the server on the port when it serves this checkout's site (returns 1), stop
# an orphan, fail for anything else.
claim_port() {
  owner_port_busy "$port" || return 0
  php_owner
  case "$PHP_OWNER" in
    ours)
      log "PHP's server of this checkout already listens on 127.0.0.1:$port (pid $PHP_OWNER_PID; reused)"
      [ -z "$PHP_OWNER_PGID" ] || echo "$PHP_OWNER_PGID" > "$dir/php.pid"
      return 1 ;;
    unknown)
      log "warning: cannot tell what listens on 127.0.0.1:$port; reusing it"
      return 1 ;;
    orphan)
      log "PHP's server on 127.0.0.1:$port (pid $PHP_OWNER_PID) lost its site folder $PHP_OWNER_SITE (deleted); stopping it and starting ours"
      stop_php_group "$PHP_OWNER_PGID"
      return 0 ;;
    gazette)
      log "127.0.0.1:$port is taken by Gazette's WordPress (PHP's server, pid $PHP_OWNER_PID) of $(owner_data_root_of "$(dirname "$PHP_OWNER_SITE")" wordpress), not $data_root:"
      log "stop it with that checkout's \`bash infra/wordpress/wp.sh stop\` (same GAZETTE_DATA_DIR and WP_PORT), or set WP_PORT to a free port"
      exit 1 ;;
    *)
      log "127.0.0.1:$port is taken by $(owner_describe_port "$port"), which is not Gazette's WordPress: free the port or set WP_PORT to a free one"
      exit 1 ;;
  esac
}

# MariaDB listens on a socket in its data folder only: once that folder is removed, nothing can reach
# it again. Stops such servers started by this script (any data root): they serve nobody.
reap_orphan_databases() {
  local pid cmd
  for pid in $(pgrep -x mariadbd 2> /dev/null; pgrep -x mysqld 2> /dev/null); do
    cmd="$(owner_cmdline "$pid")"
    [[ "$cmd" == *" --socket="*"/wordpress/mysqld.sock "* && "$cmd" == *" --skip-networking "* ]] || continue
    [[ "$(owner_cwd "$pid")" == *" (deleted)" ]] || continue
    log "MariaDB (pid $pid) lost its data folder $(sed -n 's/.* --datadir=\([^ ]*\) .*/\1/p' <<< "$cmd") (deleted); stopping it"
    owner_stop_pid "$pid" 30
  done
}

php_running() { [ -f "$dir/php.pid" ] && kill -0 "$(cat "$dir/php.pid")" 2> /dev/null; }

start_php() {
  if php_running; then return 0; fi
  # PHP's built-in server runs one request at a time unless told otherwise.
  # Its own process group (setsid): stopping it stops its workers too.
  PHP_CLI_SERVER_WORKERS="${WP_PHP_WORKERS:-4}" WP_SITE_DIR="$dir/site" setsid nohup php -S "127.0.0.1:$port" \
    -t "$dir/site" "$here/router.php" > "$dir/php.log" 2>&1 &
  echo $! > "$dir/php.pid"
  wait_for "PHP's server" 30 http_up
}

php_cli() { # php_cli <script> [args...]: runs a PHP script inside WordPress
  WP_SITE_DIR="$dir/site" WP_PORT="$port" php -d memory_limit=512M "$@"
}

fill() {
  log "filling the site with $posts posts from $dataset"
  [ -f "$dataset" ] || {
    log "dataset $dataset not found (set WP_DATASET)"
    exit 1
  }
  php_cli "$here/fill.php" "$dataset" "$posts" "$dir/ground-truth.json"
}

refill() {
  mariadb --socket="$sock" --user=root -e 'DROP DATABASE IF EXISTS wordpress; CREATE DATABASE wordpress CHARACTER SET utf8mb4'
  rm -f "$dir/ground-truth.json"
  fill
}

stop_pid() { # stop_pid <pidfile> <name> [group]
  local f="$1"
  [ -f "$f" ] || return 0
  local pid
  pid="$(cat "$f")"
  if kill -0 "$pid" 2> /dev/null; then
    if [ "${3:-}" = group ]; then kill -- "-$pid"; else kill "$pid"; fi
    local deadline=$((SECONDS + 30))
    while kill -0 "$pid" 2> /dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
    log "stopped $2"
  fi
  rm -f "$f"
}

case "${1:-}" in
  start)
    ensure_packages
    # Whose server holds the port is settled first: a refusal comes before any work.
    reuse_php=0
    php_running || claim_port || reuse_php=1
    reap_orphan_databases
    start_db
    build_site
    if [ -f "$dir/updated" ]; then
      # The posts were changed by `update`: back to what the ground truth says.
      refill
      rm -f "$dir/updated"
    fi
    [ -f "$dir/ground-truth.json" ] || fill
    [ "$reuse_php" -eq 1 ] || start_php
    log "WordPress on http://127.0.0.1:$port/ (ground truth: $dir/ground-truth.json)"
    ;;
  theme)
    [ -n "${2:-}" ] || {
      log "usage: wp.sh theme <slug>"
      exit 2
    }
    php_cli "$here/theme.php" "$2"
    ;;
  refill)
    ensure_packages
    start_db
    build_site
    refill
    ;;
  update)
    [ -f "$dir/ground-truth.json" ] || {
      log "no site to update: run wp.sh start first"
      exit 1
    }
    touch "$dir/updated"
    php_cli "$here/update.php" "$dataset" "$posts" "$dir/ground-truth.json" "$dir/updates.json"
    ;;
  stop)
    if [ -f "$dir/php.pid" ]; then
      stop_pid "$dir/php.pid" "PHP's server" group
    elif owner_port_busy "$port"; then
      # No pid file (it may have gone with a removed data folder): what listens on the port.
      php_owner
      case "$PHP_OWNER" in
        ours | orphan)
          stop_php_group "$PHP_OWNER_PGID"
          log "stopped the $(owner_label "$PHP_OWNER") PHP server on 127.0.0.1:$port (pid $PHP_OWNER_PID, site $PHP_OWNER_SITE)" ;;
        *) log "what listens on 127.0.0.1:$port is not this checkout's WordPress: not stopped" ;;
      esac
    fi
    reap_orphan_databases
    stop_pid "$dir/mysqld.pid" MariaDB
    ;;
  status)
    if db_ping; then log "MariaDB up ($sock)"; else log "MariaDB down"; fi
    if http_up; then log "WordPress up on 127.0.0.1:$port"; else log "WordPress down"; fi
    ;;
  *)
    echo "usage: $0 start|theme <slug>|refill|update|stop|status" >&2
    exit 2
    ;;
esac
