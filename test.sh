#!/bin/sh
# test.sh — install what the build needs, build, and run every test.
set -e
cd "$(dirname "$0")"
scripts/deps.sh
make -s test
