#!/bin/sh
# run_names.sh — `make bench-names`: the whole name-search benchmark in one
# run, kartoteka and its peers on the same corpora and queries, ending with
# one table (also saved as $BENCH_OUT/report.txt). See docs/bench.md.
#
# Steps: write corpora and queries; transliterate them with ICU (uconv
# "Any-Latin; Latin-ASCII", soft/hard-sign marks removed) for the peers that
# need Latin; run Beider-Morse and Daitch-Mokotoff (Java, Apache Commons
# Codec), pg_trgm (a throwaway PostgreSQL), ICU + Jaro-Winkler (Python),
# kartoteka's quality and 1,000,000-record speed runs; the index as the
# programs open it (a store, its snapshot, one CLI search) at 1,000,000 and
# 3,000,000 records; report.
# A peer whose tools are missing (scripts/deps.sh --bench installs them) or
# that fails is skipped with a note; its column stays empty. kartoteka's own
# steps are not optional: a failure there fails the run.
set -eu
BUILD=${BUILD:-build}
OUT=${BENCH_OUT:-bench/out}
N=${BENCH_RECORDS:-1000000}
# sizes of the store for the snapshot and CLI figures (Memorial's size: 3M)
SNAP_N=${BENCH_SNAPSHOT_RECORDS:-1000000 3000000}
# distractors added to each quality corpus for the run among millions
SCALED_N=${BENCH_SCALED_RECORDS:-2900000}
BIN=$BUILD/bench/bench_names
CODEC=${COMMONS_CODEC_JAR:-/usr/share/java/commons-codec.jar}

mkdir -p "$OUT"
rm -f "$OUT"/results_*.tsv "$OUT"/speed_*.tsv "$OUT"/report.txt
step() { printf '\n== %s\n' "$*"; }
elapsed() { echo "   ($(($(date +%s) - $1)) s)"; }

step "corpora and queries"
"$BIN" gen "$OUT"

# ICU writes ь ъ as ʹ ʺ, which Latin-ASCII turns into ' and "; both are
# removed, or every peer would read "Sol'skij" (Сольский) as two words.
TRANSLIT="Any-Latin; Latin-ASCII; ['\"] Remove"
step "ICU transliteration (uconv -x '$TRANSLIT')"
if command -v uconv >/dev/null 2>&1; then
    for f in corpus_cyr corpus_lat queries_quality; do
        uconv -f utf-8 -t utf-8 -x "$TRANSLIT" <"$OUT/$f.tsv" >"$OUT/$f.translit.tsv"
    done
    have_translit=1
else
    echo "   uconv missing (icu-devtools): DM and pg_trgm skipped"
    have_translit=0
fi

if command -v javac >/dev/null 2>&1 && [ -r "$CODEC" ]; then
    mkdir -p "$BUILD/bench/peers"
    javac -nowarn -d "$BUILD/bench/peers" -cp "$CODEC" bench/peers/Peers.java
    step "Beider-Morse (Commons Codec, generic, approx)"
    t=$(date +%s)
    java -Xmx2g -cp "$CODEC:$BUILD/bench/peers" Peers bmpm "$OUT" ||
        echo "   BMPM failed: its column stays empty"
    elapsed "$t"
    if [ "$have_translit" = 1 ]; then
        step "Daitch-Mokotoff (Commons Codec) on the ICU transliteration"
        t=$(date +%s)
        java -Xmx2g -cp "$CODEC:$BUILD/bench/peers" Peers dm "$OUT" ||
            echo "   DM failed: its column stays empty"
        elapsed "$t"
    fi
else
    echo "   javac or $CODEC missing (default-jdk-headless, libcommons-codec-java): BMPM, DM skipped"
fi

if [ "$have_translit" = 1 ] && ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
    step "PostgreSQL pg_trgm on the ICU transliteration"
    t=$(date +%s)
    sh bench/peers/pgtrgm.sh "$OUT" || echo "   pg_trgm failed: its column stays empty"
    elapsed "$t"
else
    echo "   PostgreSQL missing (postgresql, postgresql-contrib): pg_trgm skipped"
fi

if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import icu, jellyfish' 2>/dev/null; then
    step "ICU transliteration + Jaro-Winkler (PyICU, jellyfish)"
    t=$(date +%s)
    /usr/bin/python3 bench/peers/icu_jw.py "$OUT" || echo "   ICU+JW failed: its column stays empty"
    elapsed "$t"
else
    echo "   python3-icu or python3-jellyfish missing: ICU+JW skipped"
fi

step "kartoteka: quality on the dev pairs"
t=$(date +%s)
"$BIN" quality "$OUT"
elapsed "$t"

step "kartoteka: the same queries among $SCALED_N more records a corpus"
t=$(date +%s)
mkdir -p "$OUT/scaled"
"$BIN" quality "$OUT/scaled" "$SCALED_N"
elapsed "$t"

step "kartoteka: speed at $N synthetic records"
t=$(date +%s)
"$BIN" speed "$OUT" "$N"
elapsed "$t"

for n in $SNAP_N; do
    step "kartoteka: the index as programs open it, at $n records (store, snapshot, CLI)"
    t=$(date +%s)
    "$BIN" snapshot "$OUT" "$n" "$BUILD/kartoteka" >/dev/null
    rm -f "$OUT/store_$n.db" "$OUT/store_$n.db-wal" "$OUT/store_$n.db-shm" "$OUT/store_$n.db.index"
    elapsed "$t"
done

step "report ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
{
    "$BIN" report "$OUT"
    printf '\nReliability of the scores: every hit in the first ten of the quality queries,\n'
    printf 'by score band, and how many are the record sought (bench_names quality); the\n'
    printf 'map from score to score shown was read from the dev half, not the held-out one:\n'
    sed 's/^/  /' "$OUT/reliability_kartoteka.tsv"
    printf '\nkartoteka on the same queries among %s more records a corpus (bench_names\n' "$SCALED_N"
    printf 'quality OUT/scaled N; peers not run there):\n'
    "$BIN" report "$OUT/scaled" 2>/dev/null | grep -E '^\| \((a|b|d|e|f|g|i|j|k)\) .*recall' |
        awk -F'|' '{printf "  %-38s %s\n", $2, $4}'
    for n in $SNAP_N; do
        printf '\nThe index as programs open it, %s records (bench_names snapshot):\n' "$n"
        sed 's/^/  /' "$OUT/snapshot_$n.tsv"
    done
} | tee "$OUT/report.txt"
