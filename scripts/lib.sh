# Shared helpers for the project's scripts. Sourced, never run.
# shellcheck shell=bash

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

log() { printf '%s %s\n' "[$(date +%H:%M:%S)]" "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Runs a command as root: directly when we are root, else through sudo.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs the Debian packages given (only those missing), once per script run.
ensure_packages() {
    local missing=()
    local pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The packages the service needs to build and run.
BUILD_PACKAGES=(pkg-config libfcgi-dev libpq-dev libcurl4-openssl-dev)
RUN_PACKAGES=(nginx-light postgresql curl)

# The directory holding initdb, pg_ctl and friends.
pg_bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$dir" ] || die "no PostgreSQL server found under /usr/lib/postgresql (apt-get install postgresql)"
    echo "$dir"
}

# A free TCP port on 127.0.0.1.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Waits until a URL answers (any HTTP status), up to $2 seconds.
wait_for_http() {
    local url=$1 seconds=${2:-20} i
    for ((i = 0; i < seconds * 10; i++)); do
        curl -s -o /dev/null "$url" && return 0
        sleep 0.1
    done
    return 1
}

# Stops the process in a pid file with SIGTERM, waiting up to $2 seconds.
# True while `pid` runs. A process that exited but waits to be reaped (a zombie: its parent is
# an init that reaps lazily, as in some containers and VMs) counts as stopped.
running_pid() {
    kill -0 "$1" 2>/dev/null || return 1
    ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

stop_pidfile() {
    local pidfile=$1 seconds=${2:-30} pid i
    [ -f "$pidfile" ] || return 0
    pid=$(cat "$pidfile")
    if running_pid "$pid"; then
        # It may exit between the check and the signal: that is a stop too.
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < seconds * 20; i++)); do
            running_pid "$pid" || break
            sleep 0.05
        done
        running_pid "$pid" && { log "pid $pid did not stop; killing it"; kill -KILL "$pid" 2>/dev/null || true; }
    fi
    rm -f "$pidfile"
}
