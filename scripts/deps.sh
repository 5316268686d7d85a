#!/bin/sh
# deps.sh — install, with apt-get, the Debian packages kartoteka needs to build
# and test, when any is missing. Safe to run again: installs nothing when all
# are present. Usage: scripts/deps.sh [--bench | --fuzz | --gramps]
set -e
pkgs="build-essential pkg-config libsqlite3-dev libutf8proc-dev libjansson-dev
libcmocka-dev libmicrohttpd-dev sqlite3 chromium"
# The browser tests (tests/browser/) run on node and npm: Debian's, unless
# the machine already has them from elsewhere.
command -v node >/dev/null 2>&1 || pkgs="$pkgs nodejs"
command -v npm >/dev/null 2>&1 || pkgs="$pkgs npm"
# The web benchmark and soak (make bench-web, make soak) load the server
# with wrk (and post imports with curl).
[ "$1" = "--bench" ] && pkgs="$pkgs wrk curl"
# The benchmarks measure peers side by side: Beider-Morse and Daitch-Mokotoff
# (Apache Commons Codec, run on a JDK) and PostgreSQL pg_trgm after ICU
# transliteration, and ICU transliteration + Jaro-Winkler (PyICU, jellyfish).
[ "$1" = "--bench" ] && pkgs="$pkgs libcommons-codec-java default-jdk-headless
postgresql postgresql-contrib icu-devtools libicu-dev python3-icu python3-jellyfish"
# The fuzz targets (fuzz/, make fuzz) need clang and its libFuzzer and
# sanitizer runtimes.
[ "$1" = "--fuzz" ] && pkgs="$pkgs clang-14 libclang-rt-14-dev"
# Gramps, for the test that imports the GEDCOM export of persons into it
# (about 45 MB with --no-install-recommends; skipped with a message when
# missing).
[ "$1" = "--gramps" ] && pkgs="$pkgs gramps"

missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "installing:$missing" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
