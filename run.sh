#!/bin/sh
# run.sh — build kartoteka and start it on its embedded default database
# (./kartoteka.db, created with the bundled data on first run).
# Extra arguments go to `kartoteka serve`-like start, e.g. ./run.sh --db FILE
set -e
cd "$(dirname "$0")"
scripts/deps.sh
make -s
[ -f kartoteka.db ] || build/kartoteka init --db kartoteka.db
exec build/kartoteka stats --db kartoteka.db "$@"
