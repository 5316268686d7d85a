#!/bin/sh
# pgtrgm.sh — the trigram peer of the name benchmark: PostgreSQL pg_trgm over
# the ICU "Any-Latin; Latin-ASCII" transliteration (ь ъ marks removed) of the
# same corpora and queries kartoteka answers (bench/out/*.translit.tsv, made
# by run_names.sh).
#
#   sh bench/peers/pgtrgm.sh OUTDIR
#
# A throwaway cluster is created in a temporary directory (owned by the
# postgres user when run as root: PostgreSQL refuses to run as root), listens
# on a unix socket in that directory only (no TCP), and is stopped and removed
# on exit. Per corpus: table (id, name), GIN index gin_trgm_ops on name;
# per query: rows with name % query (pg_trgm.similarity_threshold = 0.1, low
# enough that the true record passes), ordered by similarity(name, query)
# desc, id; top 100. Writes results_pgtrgm.tsv and speed_pgtrgm.tsv.
set -eu
OUT=${1:?usage: pgtrgm.sh OUTDIR}
OUT=$(cd "$OUT" && pwd)

bindir=""
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && { bindir=$d; break; }
done
[ -n "$bindir" ] || bindir=$(dirname "$(command -v initdb)")
[ -x "$bindir/initdb" ] || { echo "pgtrgm: PostgreSQL not found (scripts/deps.sh --bench)" >&2; exit 1; }

tmp=$(mktemp -d /tmp/kartoteka-pg.XXXXXX)
as=""
if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$tmp"
    as="runuser -u postgres --"
fi
port=54329
stop() {
    $as "$bindir/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$tmp"
}
trap stop EXIT INT TERM

$as "$bindir/initdb" -D "$tmp/data" -A trust -U postgres -E UTF8 --locale=C >/dev/null
$as "$bindir/pg_ctl" -D "$tmp/data" -l "$tmp/log" -w \
    -o "-k $tmp -c listen_addresses='' -p $port -c shared_buffers=256MB -c fsync=off" \
    start >/dev/null
psql() { "$bindir/psql" -X -q -h "$tmp" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"; }
now() { date +%s.%N; }

psql -c "CREATE EXTENSION pg_trgm"
t0=$(now)
for c in cyr lat; do
    psql -c "CREATE TABLE corpus_$c (id bigint PRIMARY KEY, name text NOT NULL)"
    # id and the whole name (column 7), header dropped
    tail -n +2 "$OUT/corpus_$c.translit.tsv" | cut -f1,7 |
        psql -c "\\copy corpus_$c FROM STDIN"
    psql -c "CREATE INDEX corpus_${c}_trgm ON corpus_$c USING gin (name gin_trgm_ops)"
    psql -c "ANALYZE corpus_$c"
done
t1=$(now)
nrec=$(psql -At -c "SELECT (SELECT count(*) FROM corpus_cyr) + (SELECT count(*) FROM corpus_lat)")
bytes=$(psql -At -c "SELECT pg_total_relation_size('corpus_cyr') + pg_total_relation_size('corpus_lat')")
idxbytes=$(psql -At -c "SELECT pg_relation_size('corpus_cyr_trgm') + pg_relation_size('corpus_lat_trgm')")

# One statement per query, timed by psql (\timing: server round trip over
# the unix socket). Dollar quoting keeps any apostrophe in a name intact.
sql="$tmp/queries.sql"
{
    echo "SET pg_trgm.similarity_threshold = 0.1;"
    printf '%s\n' '\timing on'
    tail -n +2 "$OUT/queries_quality.translit.tsv" |
        awk -F '\t' '{
            printf "SELECT %d, coalesce(string_agg(id::text, %s ORDER BY s DESC, id), %s) FROM (SELECT id, similarity(name, $q$%s$q$) AS s FROM corpus_%s WHERE name %% $q$%s$q$ ORDER BY s DESC, id LIMIT 100) t;\n",
                $1, "'"'"' '"'"'", "'"''"'", $6, $3, $6 }'
} >"$sql"
psql -At -F '	' -f "$sql" >"$tmp/answers.txt"
grep -v '^Time: ' "$tmp/answers.txt" | grep -v '^SET' >"$OUT/results_pgtrgm.tsv"
grep '^Time: ' "$tmp/answers.txt" | awk '{ print $2 }' | sort -g >"$tmp/lat.txt"

# one EXPLAIN, so the reader can see the GIN index is used
plan=$(psql -At -c "SET pg_trgm.similarity_threshold = 0.1; EXPLAIN SELECT id FROM corpus_cyr WHERE name % 'Smorawinski Mieczyslaw' ORDER BY similarity(name, 'Smorawinski Mieczyslaw') DESC, id LIMIT 100" | grep -o 'Bitmap Index Scan on [a-z_]*' | head -1)

# Could the threshold hide a true record? Similarity of each query to its
# true record, counted below the threshold.
psql -c "CREATE TABLE queries (qid int, kind text, corpus text, true_id bigint, person text, text text, note text)"
tail -n +2 "$OUT/queries_quality.translit.tsv" | psql -c "\\copy queries FROM STDIN"
below=$(psql -At -F ' ' -c "SELECT count(*) FILTER (WHERE s < 0.1), count(*) FILTER (WHERE s < 0.1 AND kind <> 'c') FROM (SELECT q.kind, similarity(c.name, q.text) AS s FROM queries q JOIN corpus_cyr c ON q.corpus = 'cyr' AND c.id = q.true_id UNION ALL SELECT q.kind, similarity(c.name, q.text) FROM queries q JOIN corpus_lat c ON q.corpus = 'lat' AND c.id = q.true_id) t")

awk -v t0="$t0" -v t1="$t1" -v n="$nrec" -v b="$bytes" -v ib="$idxbytes" -v plan="$plan" -v below="$below" '
    { v[NR] = $1 }
    END {
        m = NR
        printf "build\t%.0f\trec/s\tCOPY + GIN trgm index + ANALYZE of %d records, %.1f s\n", n / (t1 - t0), n, t1 - t0
        printf "bytes_per_record\t%.1f\tB\ttable + GIN index (index alone %.1f B), pg_total_relation_size / n\n", b / n, ib / n
        printf "dev_p50\t%.3f\tms\t%d quality queries at ~100,000 records (not 1,000,000), psql round trip; plan: %s\n", v[int(m / 2) + 1], m, plan
        printf "dev_p99\t%.3f\tms\t\n", v[int(m * 99 / 100) + 1]
        printf "dev_max\t%.3f\tms\t\n", v[m]
        split(below, bl, " ")
        printf "threshold\t0.1\t\ttrue records below the similarity threshold: %d of all queries, %d of (a)(b)(d)\n", bl[1], bl[2]
    }' "$tmp/lat.txt" >"$OUT/speed_pgtrgm.tsv"
echo "pg_trgm: $nrec records, $(wc -l <"$tmp/lat.txt") queries"
