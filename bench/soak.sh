#!/bin/sh
# soak.sh — `make soak`: `kartoteka serve` under a bounded mixed load on
# loopback for $SOAK_SECONDS (default 600): wrk with $SOAK_CONNECTIONS
# connections (8; a request not answered within 10 s is an error) running
# bench/soak.lua (searches, records, pages, API), and meanwhile, every
# $SOAK_IMPORT_EVERY seconds (20), an import with the write token (POST
# /api/import?replace=1 of $SOAK_IMPORT_ROWS invented rows, 2,000), so that
# reads run during imports and the index is rebuilt again and again. The
# database is the bundled data plus $SOAK_RECORDS synthetic records
# (100,000), built once by bench_web_db.
#
# Prints the server's memory (RSS, sampled every 2 s; the median of the
# last $SOAK_WINDOW seconds of each phase, 120) after a warm-up of
# $SOAK_WARMUP seconds (150, under the same load and imports: the search
# cache filled, the index rebuilt a few times) and at the end, the memory
# after each import, the errors (wrk's socket errors and answers not
# 2xx/3xx, imports not answered 201), requests/s and p50/p99 latency;
# fails when there was an error or the memory at the end is more than
# 10 % above that after the warm-up.
set -eu
BUILD=${BUILD:-build}
OUT=${BENCH_OUT:-bench/out}
N=${SOAK_RECORDS:-100000}
SECS=${SOAK_SECONDS:-600}
CONNS=${SOAK_CONNECTIONS:-8}
WARM=${SOAK_WARMUP:-150}
# The window whose median RSS is compared: several import cycles long, as
# the RSS swings with each rebuild (two indexes alive for a moment).
WIN=${SOAK_WINDOW:-120}
EVERY=${SOAK_IMPORT_EVERY:-20}
ROWS=${SOAK_IMPORT_ROWS:-2000}
THREADS=${SOAK_SERVER_THREADS:-2}
DB=$OUT/soak_$N.db
QUERIES=$OUT/soak_queries_$N.txt
command -v wrk >/dev/null 2>&1 || { echo "wrk is missing: scripts/deps.sh --bench" >&2; exit 1; }
command -v curl >/dev/null 2>&1 || { echo "curl is missing: scripts/deps.sh --bench" >&2; exit 1; }
mkdir -p "$OUT"
if [ ! -f "$DB" ] || [ ! -f "$QUERIES" ]; then
    echo "== database: bundled data + $N synthetic records"
    "$BUILD/bench/bench_web_db" "$DB" "$QUERIES" "$N" >/dev/null
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/kartoteka-soak-XXXXXX")
PID=""
cleanup() {
    [ -n "$PID" ] && kill "$PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
# The imported list: invented people, made here, never bundled.
awk -v n="$ROWS" 'BEGIN {
    split("Soakowski Testowicz Obciazny Probny Wzorcowy Przykladny Zmyslony Umowny", s, " ");
    split("Jan Piotr Adam Marek Tomasz Pawel Karol Wit", g, " ");
    print "record_key,surname,given_names,birth_year,camp";
    for (i = 1; i <= n; i++)
        printf "soak-%d,%s%d,%s,%d,Kozielsk\n", i, s[i % 8 + 1], i, g[(i * 3) % 8 + 1], 1880 + i % 40;
}' >"$WORK/list.csv"
TOKEN=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
printf '%s\n' "$TOKEN" >"$WORK/token"
LOG=$WORK/server.log
"$BUILD/kartoteka" serve --db "$DB" --port 0 --quiet --threads "$THREADS" \
    --write-token-file "$WORK/token" >"$LOG" 2>&1 &
PID=$!
port=""
for _ in $(seq 1 600); do
    port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$LOG")
    [ -n "$port" ] && break
    kill -0 $PID 2>/dev/null || { cat "$LOG"; exit 1; }
    sleep 0.2
done
[ -n "$port" ] || { echo "the server did not start" >&2; exit 1; }
URL=http://127.0.0.1:$port
rss() { awk '/VmRSS/ {print $2}' /proc/$PID/status; }
# import: one POST of the list; prints its status.
import() {
    curl -s -o "$WORK/import.out" -w '%{http_code}' -X POST \
        -H "Authorization: Bearer $TOKEN" --data-binary "@$WORK/list.csv" \
        "$URL/api/import?source=soak&replace=1" || echo 000
}
export QUERIES RECORDS=$N
echo "== soak: $URL, $N synthetic records + bundled, server threads $THREADS"
# imports SECONDS: an import every $EVERY s for that long, each one's
# status and the server's memory after it on a line; sets import_errors.
imports() {
    t0=$(date +%s)
    k=0
    import_errors=0
    while [ $(($(date +%s) - t0 + EVERY)) -le "$1" ]; do
        sleep "$EVERY"
        s=$(import)
        k=$((k + 1))
        echo "   import $k: $s, RSS $(($(rss) / 1024)) MiB"
        if [ "$s" != 201 ]; then
            import_errors=$((import_errors + 1))
            echo "   import $k answered $s: $(head -c 300 "$WORK/import.out")"
        fi
    done
}
# The server's memory every 2 s ("seconds KiB" lines), for medians below.
T0=$(date +%s)
( while kill -0 $PID 2>/dev/null; do
      echo "$(($(date +%s) - T0)) $(rss)"
      sleep 2
  done ) >"$WORK/rss.log" 2>/dev/null &
SAMPLER=$!
# median FROM TO: the median RSS (KiB) sampled from FROM to TO seconds.
median() {
    awk -v a="$1" -v b="$2" '$1 >= a && $1 <= b && $2 > 0 { print $2 }' "$WORK/rss.log" |
        sort -n | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : 0 }'
}
echo "   warm-up ${WARM} s, with the same load and imports"
s=$(import)
[ "$s" = 201 ] || { echo "the first import answered $s: $(cat "$WORK/import.out")" >&2; exit 1; }
wrk -t2 -c"$CONNS" -d"${WARM}s" --timeout 10s -s bench/soak.lua "$URL" >/dev/null &
WRK=$!
imports "$WARM"
wait $WRK
tw=$(($(date +%s) - T0))
rss0=$(median $((tw - WIN)) "$tw")
echo "   RSS after warm-up    $((rss0 / 1024)) MiB (the median of its last $WIN s)"
echo "   load ${SECS} s: wrk -t2 -c$CONNS (bench/soak.lua), an import of $ROWS rows every ${EVERY} s"
wrk -t2 -c"$CONNS" -d"${SECS}s" --timeout 10s -s bench/soak.lua "$URL" >"$WORK/wrk.txt" &
WRK=$!
imports "$SECS"
imports=$k
wait $WRK
te=$(($(date +%s) - T0))
rss1=$(median $((te - WIN)) "$te")
range=$(awk -v a="$tw" '$1 >= a && $2 > 0 { if (!n++ || $2 < lo) lo = $2; if ($2 > hi) hi = $2 } END { printf "%d-%d", lo / 1024, hi / 1024 }' "$WORK/rss.log")
kill $SAMPLER 2>/dev/null || true
hwm=$(awk '/VmHWM/ {print $2}' /proc/$PID/status)
line=$(grep RESULT "$WORK/wrk.txt")
val() { echo "$line" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
errors=$(($(val socket_errors) + $(val non2xx) + import_errors))
growth=$(awk -v a="$rss0" -v b="$rss1" 'BEGIN { printf "%+.1f", (b - a) * 100 / a }')
echo "   requests             $(val requests) ($(val rps)/s)"
echo "   latency p50 / p99    $(val p50_ms) ms / $(val p99_ms) ms (max $(val max_ms) ms)"
echo "   imports              $imports during the load, $import_errors failed"
echo "   errors               $errors ($(val socket_errors) socket, $(val non2xx) not 2xx/3xx, $import_errors imports)"
echo "   RSS start / end      $((rss0 / 1024)) MiB / $((rss1 / 1024)) MiB ($growth %; medians of the"
echo "                        last $WIN s of the warm-up and of the load); during the load"
echo "                        $range MiB, peak $((hwm / 1024)) MiB"
kill -0 $PID 2>/dev/null || { echo "the server died" >&2; exit 1; }
ok=$(awk -v a="$rss0" -v b="$rss1" 'BEGIN { print (b <= a * 1.10) ? 1 : 0 }')
[ "$errors" -eq 0 ] || { echo "soak: FAILED ($errors errors)"; exit 1; }
[ "$ok" = 1 ] || { echo "soak: FAILED (memory grew more than 10 %)"; exit 1; }
echo "soak: passed (0 errors, memory within 10 %)"
