#!/usr/bin/env bash
# The PostgreSQL store against the embedded file store: bench/broker.sh once with each, in the same
# run (same binaries, same machine load). PostgreSQL runs unpinned on this machine (unix socket).
# Last line:  score: <PostgreSQL handshakes/s / file store handshakes/s>   (goal >= 0.7: within 30 %)
# Usage: bench/broker-postgres.sh [seconds-per-level]     (SKIP_BUILD=1 reuses .build/release)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-8}
scripts/install-deps.sh postgresql
files=$(bench/broker.sh "$seconds")
echo "$files" | sed 's/^/files: /'
postgres=$(SKIP_BUILD=1 STORE=postgres bench/broker.sh "$seconds")
echo "$postgres" | sed 's/^/postgres: /'
f=$(awk '/^best broker rate:/ {print $4}' <<<"$files")
p=$(awk '/^best broker rate:/ {print $4}' <<<"$postgres")
echo "figures: $p handshakes/s on PostgreSQL, $f on the file store"
awk -v f="$f" -v p="$p" 'BEGIN { printf "score: %.3f\n", p / f }'
