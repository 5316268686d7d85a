#!/bin/sh
# run.sh — build kartoteka and serve the registry on the web from its
# default database (./kartoteka.db, created with the bundled data on first
# run). Options go to `kartoteka serve`, e.g. ./run.sh --db FILE --port N
set -e
cd "$(dirname "$0")"
scripts/deps.sh
make -s
db=kartoteka.db
prev=""
for a in "$@"; do
    [ "$prev" = "--db" ] && db="$a"
    case "$a" in --db=*) db="${a#--db=}" ;; esac
    prev="$a"
done
[ -f "$db" ] || build/kartoteka init --db "$db"
exec build/kartoteka serve --db "$db" "$@"
