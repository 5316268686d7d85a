#!/bin/sh
# run_web.sh — `make bench-web`: the server under load. Builds (once) a
# database of the bundled data plus $BENCH_RECORDS synthetic records
# (default 1,000,000) and 2,000 queries, starts `kartoteka serve` on a free
# loopback port, warms it up, then runs wrk against /api/search for
# $BENCH_SECONDS (default 20) with $BENCH_CONNECTIONS connections (16) and
# prints requests/s, p50/p99 latency, errors, the server's CPU time per
# request and its memory, twice: with the search cache as the server runs by
# default, and with none (every answer computed by the name engine);
# BENCH_RUNS=uncached (or cached) for one of them. The CPU per request is
# what a busy machine disturbs least: compare it between two builds.
# Traffic goes to 127.0.0.1 only; the run is bounded in time.
set -eu
BUILD=${BUILD:-build}
OUT=${BENCH_OUT:-bench/out}
N=${BENCH_RECORDS:-1000000}
SECS=${BENCH_SECONDS:-20}
CONNS=${BENCH_CONNECTIONS:-16}
THREADS=${BENCH_SERVER_THREADS:-2}
DB=$OUT/web_$N.db
QUERIES=$OUT/web_queries_$N.txt
command -v wrk >/dev/null 2>&1 || { echo "wrk is missing: scripts/deps.sh --bench" >&2; exit 1; }
mkdir -p "$OUT"
if [ ! -f "$DB" ] || [ ! -f "$QUERIES" ]; then
    echo "== database: bundled data + $N synthetic records"
    t0=$(date +%s)
    "$BUILD/bench/bench_web_db" "$DB" "$QUERIES" "$N"
    echo "   ($(($(date +%s) - t0)) s)"
fi
# run LABEL CACHE WARMUP_SECONDS: one server, warm-up, one wrk run, its numbers.
run() {
LOG=$OUT/web_server_$1.log
: >"$LOG"
t0=$(date +%s)
"$BUILD/kartoteka" serve --db "$DB" --port 0 --quiet --threads "$THREADS" --search-cache "$2" >"$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT INT TERM
port=""
for _ in $(seq 1 600); do
    port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$LOG")
    [ -n "$port" ] && break
    kill -0 $PID 2>/dev/null || { cat "$LOG"; exit 1; }
    sleep 0.2
done
[ -n "$port" ] || { echo "the server did not start" >&2; exit 1; }
echo
echo "== $1: server up in $(($(date +%s) - t0)) s: $(head -1 "$LOG")"
export QUERIES
# Warm-up: long enough for every query to have been asked once (the
# cached run then measures answers kept; the uncached one is unaffected).
echo "   warm-up ($3 s)"
wrk -t2 -c16 -d"$3"s -s bench/web.lua "http://127.0.0.1:$port" >/dev/null
echo "   wrk -t2 -c$CONNS -d${SECS}s, /api/search, $(wc -l <"$QUERIES") queries in turn, server threads $THREADS, --search-cache $2"
cpu0=$(awk '{print $14 + $15}' /proc/$PID/stat)
wrk -t2 -c"$CONNS" -d"${SECS}s" --timeout 5s -s bench/web.lua "http://127.0.0.1:$port" \
    >"$OUT/web_wrk_$1.txt"
cpu1=$(awk '{print $14 + $15}' /proc/$PID/stat)
rss=$(awk '/VmRSS/ {print $2}' /proc/$PID/status)
hwm=$(awk '/VmHWM/ {print $2}' /proc/$PID/status)
kill $PID
wait $PID 2>/dev/null || true
line=$(grep RESULT "$OUT/web_wrk_$1.txt")
val() { echo "$line" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
echo "   records indexed      $N synthetic + bundled"
echo "   requests/s           $(val rps)"
echo "   latency p50 / p99    $(val p50_ms) ms / $(val p99_ms) ms (max $(val max_ms) ms)"
echo "   errors               $(val socket_errors) socket, $(val non2xx) non-2xx"
echo "   server CPU           $(awk -v t="$((cpu1 - cpu0))" -v hz="$(getconf CLK_TCK)" -v n="$(val requests)" \
                               'BEGIN { printf "%.3f ms a request (user + system)", t * 1000 / hz / n }')"
echo "   server memory        RSS $((rss / 1024)) MiB (peak $((hwm / 1024)) MiB)"
}

# With the search cache (the server as it runs), then every answer computed.
RUNS=${BENCH_RUNS:-cached uncached}
case " $RUNS " in *" cached "*) run cached 16384 "${BENCH_WARMUP:-15}" ;; esac
case " $RUNS " in *" uncached "*) run uncached 0 3 ;; esac
