#!/usr/bin/env bash
# Boot storm: three guestguard-broker replicas on one PostgreSQL (Debian's postgresql, unix socket,
# run as nobody), GUESTS simulated guests (default 1000) whose handshake steps go round robin over
# the replicas (no affinity), one replica killed (SIGKILL) a third of the way in; a guest whose step
# fails starts over at the next replica. Checks: every guest got exactly the right key, zero wrong
# releases, audit rows (PostgreSQL) = releases, no nonce consumed twice. Prints guests/s and p50/p99
# time to key, next to a single replica on the file store (pinned to one core) in the same run.
# Last line:  score: <storm handshakes/s / single-replica file-store handshakes/s>
# Usage: bench/broker-storm.sh [guests] [concurrency]     (SKIP_BUILD=1 reuses .build/release)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh postgresql util-linux
guests=${1:-1000}
concurrency=${2:-32}
if [ -z "${SKIP_BUILD:-}" ]; then
  swift build -c release --static-swift-stdlib --product guestguard-broker >&2   # as `make release`
  swift build -c release --static-swift-stdlib --product guestguard >&2
  swift build -c release --static-swift-stdlib --product kbs-handshake-bench >&2
fi
bin=.build/release
work=$(mktemp -d /tmp/guestguard-storm.XXXXXX)
# PostgreSQL's own directory, owned by the server's user ($work is root's, mode 0700).
pg=$(mktemp -d /tmp/guestguard-storm-pg.XXXXXX)
pids=()
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg=(); if [ "$(id -u)" = 0 ]; then as_pg=(runuser -u nobody --); chown nobody "$pg"; fi
cleanup() {
  # start_broker runs in $(...): its pids+= is lost in that subshell, its pid file is not.
  for f in "$work"/*.pid; do [ -e "$f" ] && pids+=("$(cat "$f")"); done
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done; done   # not our children
  [ -d "$pg/data" ] && "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pg/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work" "$pg"
}
trap cleanup EXIT

$bin/guestguard simulator init "$work/sim" >/dev/null
head -c 64 /dev/urandom > "$work/disk.key"

# 1. One replica on the file store, pinned to one core: the reference rate.
$bin/guestguard-broker key import default/disk/root "$work/disk.key" --data "$work/data" >/dev/null
$bin/guestguard-broker policy set default/disk/root "$work/sim/policy.toml" --data "$work/data" >/dev/null
start_broker() {  # name, then serve arguments; prints the URL
  local name=$1; shift
  "$@" --listen 127.0.0.1:0 --client-burst 100000 --client-rate 100000 > "$work/$name.out" 2>&1 &
  pids+=($!); echo $! > "$work/$name.pid"
  for _ in $(seq 100); do grep -q 'listening on http' "$work/$name.out" && break; sleep 0.1; done
  grep -o 'http://127.0.0.1:[0-9]*' "$work/$name.out" | head -1
}
pin=(); command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ] && pin=(taskset -c 0)
single=$(start_broker single "${pin[@]}" $bin/guestguard-broker serve --data "$work/data")
out=$($bin/kbs-handshake-bench "$single" "$work/sim" default/disk/root 16 6)
single_rate=$(awk '/^rate:/ {print $2}' <<<"$out")
echo "single replica, file store: $(grep concurrency <<<"$out")"
kill "$(cat "$work/single.pid")"

# 2. PostgreSQL and three replicas.
head -c 24 /dev/urandom | base64 > "$pg/pw"; chown --reference="$pg" "$pg/pw"
"${as_pg[@]}" "$pgbin/initdb" -D "$pg/data" -U postgres -A scram-sha-256 --pwfile "$pg/pw" --no-sync >/dev/null
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$pg/data" -l "$pg/log" -w -o "-k $pg -c listen_addresses='' -c fsync=off -c max_connections=200" start >/dev/null
export PGPASSWORD; PGPASSWORD=$(cat "$pg/pw")
psql=("$pgbin/psql" -X -q -A -t -h "$pg" -U postgres)
"${psql[@]}" -d postgres -c "CREATE DATABASE broker" >/dev/null
head -c 32 /dev/urandom > "$work/kek"; chmod 0600 "$work/kek"
store=(--store "postgres://postgres@/broker?host=$pg" --kek "$work/kek")
$bin/guestguard-broker migrate "${store[@]}" >/dev/null
$bin/guestguard-broker key import default/disk/root "$work/disk.key" "${store[@]}" >/dev/null
$bin/guestguard-broker policy set default/disk/root "$work/sim/policy.toml" "${store[@]}" >/dev/null
urls=()
for r in 1 2 3; do urls+=("$(start_broker "replica$r" $bin/guestguard-broker serve "${store[@]}")"); done
echo "replicas: ${urls[*]} on PostgreSQL (unix socket); $guests guests, concurrency $concurrency"

( sleep 2; kill -9 "$(cat "$work/replica3.pid")" 2>/dev/null && echo "killed replica 3 (${urls[2]}) mid-storm" ) &
killer=$!
out=$($bin/kbs-handshake-bench "$(IFS=,; echo "${urls[*]}")" "$work/sim" default/disk/root "$concurrency" 600 "$guests" "$work/disk.key" || true)
wait "$killer" || true
echo "$out" | grep -v '^rate:'
storm_rate=$(awk '/^rate:/ {print $2}' <<<"$out")
got=$(awk '/^guests:/ {print $2}' <<<"$out"); wrong=$(awk '/^guests:/ {print $9}' <<<"$out")
releases=$("${psql[@]}" -d broker -c "SELECT count(*) FROM audit WHERE decision = 'release'")
released_sessions=$("${psql[@]}" -d broker -c "SELECT count(DISTINCT line::json->>'session') FROM audit WHERE decision = 'release'")
release_lines=$(cat "$work"/replica*.out | grep -c '"decision":"release"' || true)
reused=$("${psql[@]}" -d broker -c "SELECT count(*) FROM (SELECT nonce FROM sessions GROUP BY nonce HAVING count(*) > 1) d")
attested_twice=$(cat "$work"/replica*.out | grep '"decision":"attested"' | grep -o '"session":"[^"]*"' | sort | uniq -d | wc -l)
echo "guests with a key: $got of $guests; wrong keys: $wrong"
echo "audit: $releases release rows in PostgreSQL, $release_lines release lines from the replicas; sessions released to: $released_sessions" \
  "(a second release to the same session and guest key only when the replica died before its answer)"
echo "nonce reuse: $reused nonces issued to two sessions, $attested_twice sessions attested twice"
ok=yes
[ "$got" = "$guests" ] || ok=no; [ "$wrong" = 0 ] || ok=no; [ "$released_sessions" = "$got" ] || ok=no
[ "$releases" = "$release_lines" ] || ok=no; [ "$reused" = 0 ] || ok=no; [ "$attested_twice" = 0 ] || ok=no
echo "storm correctness: $ok"
echo "storm: $(awk -v r="$storm_rate" 'BEGIN { printf "%.1f", r }') guests/s; single replica file store: $(awk -v r="$single_rate" 'BEGIN { printf "%.1f", r }') handshakes/s"
echo "figures: $(awk -v r="$storm_rate" 'BEGIN { printf "%.1f", r }') guests/s over 3 replicas (one killed; correct: $ok), single replica $(awk -v r="$single_rate" 'BEGIN { printf "%.1f", r }') handshakes/s"
awk -v s="$storm_rate" -v f="$single_rate" 'BEGIN { printf "score: %.3f\n", s / f }'
