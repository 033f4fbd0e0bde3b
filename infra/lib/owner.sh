# Sourced by the infra scripts (not run): who owns the process that already listens on a port.
#
# A start script reuses a node that answers on its port only when the node keeps its data in this
# checkout's data root. A node whose data folder is gone (its checkout was deleted: an orphan) can
# serve nobody and is stopped; a node of another data root, or a program that is not one of
# Gazette's nodes, makes the start fail with what to do. Every function tolerates a missing /proc,
# ss or permission to read another user's processes: the caller then falls back to reusing the
# node with a warning.

# Pids (one a line) of the processes listening on 127.0.0.1:$1 (TCP); nothing when unknown.
owner_listener_pids() {
  local port="$1" out="" hex inodes ino
  if command -v ss >/dev/null 2>&1; then
    out="$(ss -Hltnp "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -un || true)"
  fi
  if [ -z "$out" ] && [ -r /proc/net/tcp ]; then
    # Listening sockets (state 0A) on the port, then the processes holding them.
    hex="$(printf ':%04X' "$port")"
    inodes="$(awk -v p="$hex" '$4 == "0A" && substr($2, length($2) - 4) == p { print $10 }' \
      /proc/net/tcp /proc/net/tcp6 2>/dev/null | sort -u || true)"
    for ino in $inodes; do
      out+="$(find /proc/[0-9]*/fd -lname "socket:\[$ino\]" 2>/dev/null | cut -d/ -f3 || true)"$'\n'
    done
    out="$(printf '%s' "$out" | grep -E '^[0-9]+$' | sort -un || true)"
  fi
  [ -z "$out" ] || printf '%s\n' "$out"
}

# True when something accepts TCP connections on 127.0.0.1:$1.
owner_port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

owner_comm() { cat "/proc/$1/comm" 2>/dev/null || true; }
owner_cmdline() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null || true; }
# The working directory of a process; ends with " (deleted)" when the folder was removed.
owner_cwd() { readlink "/proc/$1/cwd" 2>/dev/null || true; }

# True when process $1 holds open a file matching glob $2 that was removed.
owner_holds_deleted() { [ -n "$(find "/proc/$1/fd" -lname "$2 (deleted)" -print -quit 2>/dev/null || true)" ]; }

# "this checkout's" for ours, "orphaned" for orphan: for log lines.
owner_label() { if [ "$1" = ours ]; then printf "this checkout's"; else printf orphaned; fi; }

# True when folder $1 (as a node reports it) no longer exists.
owner_gone() { [ -z "$1" ] || [[ "$1" == *" (deleted)" ]] || [ ! -d "$1" ]; }

# True when folders $1 and $2 are the same existing folder.
owner_same_dir() {
  [ -d "$1" ] && [ -d "$2" ] || return 1
  [ "$(cd "$1" && pwd -P)" = "$(cd "$2" && pwd -P)" ]
}

# A one-line description of whatever listens on port $1, for error messages.
owner_describe_port() {
  local pids pid desc=""
  pids="$(owner_listener_pids "$1")"
  for pid in $pids; do
    desc+="${desc:+, }$(owner_comm "$pid") (pid $pid: $(owner_cmdline "$pid" | cut -c1-160))"
  done
  printf '%s' "${desc:-a process this user cannot see (pid unknown)}"
}

# Sends SIGTERM to pid $1, waits up to $2 seconds (default 30) for it to exit, then SIGKILL.
owner_stop_pid() {
  local pid="$1" deadline=$((SECONDS + ${2:-30}))
  [[ "$pid" =~ ^[1-9][0-9]*$ ]] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then
      kill -KILL "$pid" 2>/dev/null || true
      deadline=$((SECONDS + 10))
      while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
      return 0
    fi
    sleep 0.1
  done
}

# For messages: "data root <root>" when folder $1 ends with $2 (as the scripts lay out a data root),
# else "folder <folder>"; " (removed)" when it no longer exists.
owner_data_root_of() {
  local d="${1% (deleted)}" gone=""
  owner_gone "$1" && gone=" (removed)"
  case "$d" in */"$2") printf 'data root %s%s' "${d%/"$2"}" "$gone" ;; *) printf 'folder %s%s' "$d" "$gone" ;; esac
}
