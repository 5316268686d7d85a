#!/bin/sh
# run.sh — build kartoteka and serve the registry on the web (pages and JSON
# API) from its database: --db FILE if given, else $KARTOTEKA_DB, else
# ./kartoteka.db next to this script (created with the bundled data on first
# run). Every argument is passed on to `kartoteka serve`, e.g.
#   ./run.sh --db /srv/k.db --port 8081
set -e
here=$(cd "$(dirname "$0")" && pwd)
(cd "$here" && scripts/deps.sh && make -s)
KARTOTEKA_DB=${KARTOTEKA_DB:-$here/kartoteka.db}
export KARTOTEKA_DB
# the database the arguments name, to create it when it is not there yet
db=$KARTOTEKA_DB
prev=
for a in "$@"; do
    [ "$prev" = "--db" ] && db=$a
    case $a in --db=*) db=${a#--db=} ;; esac
    prev=$a
done
[ -f "$db" ] || "$here/build/kartoteka" init --db "$db"
exec "$here/build/kartoteka" serve "$@"
