# A private copy of the whole system for a test script: its own PostgreSQL (scripts/pg-cluster),
# migrated, the fake OpenWeather (tools/fake-openweather), FCGIApp and nginx (scripts/nginx-config)
# on free ports, and optionally the TaskRunner daemon, all under one temporary folder.
# Sourced after scripts/lib.sh. Used by scripts/fuzz-api and scripts/browser-test.
#
#   stack_start WORK BIN [daemon]   sets DATABASE_URL, BASE (http://127.0.0.1:PORT), EXPORT_DIR,
#                                   FAKE_PORT; the daemon too when the third argument is "daemon"
#   stack_stop WORK                 stops everything stack_start started (for an EXIT trap)
#   stack_logs WORK                 prints the last lines of the responder's and daemon's logs

STACK_PIDS=()

stack_start() {
    local work=$1 bin=$2 with_daemon=${3:-}
    log "starting a PostgreSQL in $work/pg"
    DATABASE_URL=$("$ROOT/scripts/pg-cluster" start "$work/pg" "$(free_port)" --fast)
    export DATABASE_URL
    "$bin/TaskRunner" migrate >"$work/migrate.log" 2>&1 || die "TaskRunner migrate failed: $(tail -n 3 "$work/migrate.log")"

    log "starting the fake OpenWeather"
    python3 "$ROOT/tools/fake-openweather/server.py" --port 0 --parent-pid $$ >"$work/fake-openweather.out" 2>&1 &
    STACK_PIDS+=($!)
    local i
    for i in $(seq 100); do grep -q '^PORT ' "$work/fake-openweather.out" && break; sleep 0.05; done
    FAKE_PORT=$(sed -n 's/^PORT //p' "$work/fake-openweather.out")
    [ -n "$FAKE_PORT" ] || die "the fake OpenWeather did not start"

    local port socket conf group
    port=$(free_port)
    socket="$work/fcgiapp.sock"
    EXPORT_DIR="$work/exports"
    mkdir -p "$EXPORT_DIR"
    conf=$(NGINX_WORKERS=1 "$ROOT/scripts/nginx-config" "$work/nginx" "127.0.0.1:$port" "$socket" "$EXPORT_DIR")
    group=""
    grep -q '^user www-data' "$conf" && group=www-data
    export EXPORT_DIR OPENWEATHER_API_KEY=test-key OPENWEATHER_BASE_URL="http://127.0.0.1:$FAKE_PORT" \
        OPENWEATHER_RATE_PER_MINUTE=100000

    log "starting FCGIApp and nginx on 127.0.0.1:$port"
    FCGI_SOCKET="$socket" FCGI_SOCKET_GROUP="$group" FCGI_THREADS=8 LOG_LEVEL=${STACK_LOG_LEVEL:-warning} \
        "$bin/FCGIApp" >>"$work/fcgiapp.log" 2>&1 </dev/null &
    STACK_PIDS+=($!)
    for i in $(seq 200); do [ -S "$socket" ] && break; sleep 0.05; done
    [ -S "$socket" ] || { tail -n 20 "$work/fcgiapp.log" >&2; die "FCGIApp did not start"; }
    nginx -p "$work/nginx" -c "$conf" -t -q
    nginx -p "$work/nginx" -c "$conf"
    BASE="http://127.0.0.1:$port"
    wait_for_http "$BASE/api/ping" 20 || die "nginx is not answering on $BASE"

    if [ "$with_daemon" = daemon ]; then
        log "starting the TaskRunner daemon"
        LOG_LEVEL=${STACK_LOG_LEVEL:-warning} "$bin/TaskRunner" daemon --concurrency 4 >>"$work/daemon.log" 2>&1 </dev/null &
        STACK_PIDS+=($!)
    fi
}

stack_stop() {
    local work=$1 pid
    for pid in "${STACK_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    [ -f "$work/nginx/run/nginx.pid" ] && kill -TERM "$(cat "$work/nginx/run/nginx.pid")" 2>/dev/null || true
    for pid in "${STACK_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    "$ROOT/scripts/pg-cluster" stop "$work/pg" >/dev/null 2>&1 || true
}

stack_logs() {
    local work=$1 file
    for file in "$work/fcgiapp.log" "$work/daemon.log" "$work/nginx/log/nginx-error.log"; do
        [ -s "$file" ] || continue
        log "last lines of ${file#"$work"/}:"
        tail -n 30 "$file" >&2
    done
}
