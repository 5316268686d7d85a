#!/bin/sh
# run_link.sh — the linkage benchmark: realistic sizes (4,400 NKVD, 2,800
# exhumed, 4,000 memorial) at rising noise, ten times larger, and (with
# "all") two lists of 1,000,000 records each. One markdown table.
set -e
BUILD=${BUILD:-build}
BIN=$BUILD/bench/bench_link
export BENCH_OUT=${BENCH_OUT:-bench/out} PEER_CLASSES=$BUILD/bench
first=--header
for noise in 0 0.5 1 1.5 2 3; do
    $BIN --noise $noise $first
    first=
done
$BIN --scale 10 --noise 1
if [ "$1" = all ]; then
    $BIN --big 1000000 --noise 1 --no-peer
fi
