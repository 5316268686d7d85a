#!/bin/sh
# run.sh — the browser tests (run.js) as one test program of `make test`:
# installs playwright-core and axe-core from the lock file when they are
# missing (npm ci), then runs them; exit 0 only when every check passed.
set -e
dir="$(cd "$(dirname "$0")" && pwd)"
if [ ! -d "$dir/node_modules/playwright-core" ] || [ ! -d "$dir/node_modules/axe-core" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
fi
if [ ! -x /usr/bin/chromium ]; then
    echo "browser tests: /usr/bin/chromium is missing (scripts/deps.sh installs it)" >&2
    exit 1
fi
exec node "$dir/run.js"
