#!/usr/bin/env bash
# Full KBS handshakes per second (auth + attest + resource) against guestguard-broker over
# loopback, at concurrency 1, 16 and 64, with p50/p99 latency; next to `openssl speed ecdsap384`
# from the same run. The broker is pinned to CPU 0 and the load generator (which also signs each
# simulated report and opens each JWE) to CPU 1.
# Each level prints the wall rate and the broker's own CPU time (utime + stime of all its threads,
# from /proc/<pid>/stat): µs of broker CPU per handshake and handshakes per broker CPU second.
# The per-core rate is the latter at the concurrency with the best wall rate: on a 2-core machine
# the load generator cannot keep the broker's core busy (it spends more CPU per handshake than the
# broker), so the wall rate understates what one broker core does; handshakes per CPU second of
# the broker is its rate "on one core" when that core is saturated.
# Last line:  score: <broker handshakes per broker CPU second at its best concurrency / openssl verify/s>  (goal >= 0.6)
# Usage: bench/broker.sh [seconds-per-level]        (about 1.5 minutes with the default 8 s)
#        STORE=postgres bench/broker.sh               (the PostgreSQL store; bench/broker-postgres.sh compares both)
#        RT=1 bench/broker.sh                         (as root on a machine other jobs share: broker, load generator and
#                                                      `openssl speed` at real-time priority, so each gets its core)
set -euo pipefail
cd "$(dirname "$0")/.."
peers=(openssl util-linux python3); [ "${STORE:-files}" = postgres ] && peers+=(postgresql)
scripts/install-deps.sh "${peers[@]}"
seconds=${1:-8}
# SKIP_BUILD=1 reuses .build/release; BROKER_BIN=path measures another broker binary (e.g. a baseline).
if [ -z "${SKIP_BUILD:-}" ]; then
  swift build -c release --static-swift-stdlib --product guestguard-broker >&2   # as `make release`
  swift build -c release --static-swift-stdlib --product guestguard >&2
  swift build -c release --static-swift-stdlib --product kbs-handshake-bench >&2
fi
bin=.build/release
broker_bin=${BROKER_BIN:-$bin/guestguard-broker}
work=$(mktemp -d /tmp/guestguard-bench.XXXXXX)
trap 'kill ${broker_pid:-} 2>/dev/null || true; rm -rf "$work"' EXIT

$bin/guestguard simulator init "$work/sim" >/dev/null
head -c 64 /dev/urandom > "$work/disk.key"
# STORE=postgres: a real PostgreSQL (Debian's postgresql) in $work, unix socket only, run as nobody.
store_args=(--data "$work/data")
if [ "${STORE:-files}" = postgres ]; then
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  # Its own directory, owned by the server's user ($work is root's, mode 0700: nobody cannot enter it).
  pg=$(mktemp -d /tmp/guestguard-bench-pg.XXXXXX)
  as_pg=(); if [ "$(id -u)" = 0 ]; then as_pg=(runuser -u nobody --); chown nobody "$pg"; fi
  head -c 24 /dev/urandom | base64 > "$pg/pw" && chown --reference="$pg" "$pg/pw"
  "${as_pg[@]}" "$pgbin/initdb" -D "$pg/data" -U postgres -A scram-sha-256 --pwfile "$pg/pw" --no-sync >/dev/null
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pg/data" -l "$pg/log" -w -o "-k $pg -c listen_addresses='' -c fsync=off" start >/dev/null
  trap '"${as_pg[@]}" "$pgbin/pg_ctl" -D "$pg/data" -m immediate stop >/dev/null 2>&1; kill $broker_pid 2>/dev/null || true; rm -rf "$work" "$pg"' EXIT
  export PGPASSWORD; PGPASSWORD=$(cat "$pg/pw")
  "$pgbin/psql" -X -q -h "$pg" -U postgres -d postgres -c "CREATE DATABASE broker" >/dev/null
  head -c 32 /dev/urandom > "$work/kek" && chmod 0600 "$work/kek"
  store_args=(--store "postgres://postgres@/broker?host=$pg" --kek "$work/kek")
  "$broker_bin" migrate "${store_args[@]}" >/dev/null
fi
"$broker_bin" key import default/disk/root "$work/disk.key" "${store_args[@]}" >/dev/null
"$broker_bin" policy set default/disk/root "$work/sim/policy.toml" "${store_args[@]}" >/dev/null

pin_broker=() pin_load=() rt=()
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then pin_broker=(taskset -c 0); pin_load=(taskset -c 1); fi
if [ -n "${RT:-}" ]; then rt=(chrt -f 5); pin_broker=("${rt[@]}" "${pin_broker[@]}"); pin_load=("${rt[@]}" "${pin_load[@]}"); fi
# One load generator on one address: lift the per-client rate limits (they are what bench/broker-flood.sh measures).
"${pin_broker[@]}" "$broker_bin" serve --listen 127.0.0.1:0 "${store_args[@]}" --client-burst 100000 --client-rate 100000 \
  > "$work/broker.out" 2>&1 &
broker_pid=$!
for _ in $(seq 100); do grep -q 'listening on http' "$work/broker.out" && break; sleep 0.1; done
url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/broker.out" | head -1)
echo "broker: $url (pid $broker_pid, ${pin_broker[*]:-unpinned}); load generator: ${pin_load[*]:-unpinned}"

best=0 best_cpu_rate=0
# The broker's CPU time (utime + stime of all its threads, in clock ticks) from /proc.
broker_ticks() { awk '{ print $14 + $15 }' "/proc/$broker_pid/stat"; }
hz=$(getconf CLK_TCK)
for c in 1 16 64; do
  before=$(broker_ticks); began=$(date +%s%N)
  out=$("${pin_load[@]}" $bin/kbs-handshake-bench "$url" "$work/sim" default/disk/root "$c" "$seconds")
  after=$(broker_ticks); ended=$(date +%s%N)
  echo "$out" | grep -v '^rate:'
  count=$(echo "$out" | awk '/^concurrency/ {print $3}')
  # Handshakes per second of broker CPU (the per-core rate) and µs of broker CPU per handshake.
  cpu_rate=$(awk -v n="$count" -v t=$((after - before)) -v hz="$hz" 'BEGIN { printf "%.1f", (t > 0) ? n / (t / hz) : 0 }')
  awk -v n="$count" -v t=$((after - before)) -v hz="$hz" -v ns=$((ended - began)) -v r="$cpu_rate" 'BEGIN {
    printf "  broker CPU: %.0f%% of one core, %.0f us per handshake = %s handshakes per broker CPU second\n", 100 * (t / hz) / (ns / 1e9), (n > 0) ? 1e6 * (t / hz) / n : 0, r }'
  rate=$(echo "$out" | awk '/^rate:/ {print $2}')
  if awk -v a="$best" -v b="$rate" 'BEGIN { exit !(b > a) }'; then best=$rate best_cpu_rate=$cpu_rate; fi
done
releases=$(grep -c '"decision":"release"' "$work/broker.out" || true)
echo "broker audit: $releases releases"
broker_rss=$(awk '/VmHWM/ {print $2}' /proc/$broker_pid/status 2>/dev/null || echo "?")
echo "broker peak RSS: ${broker_rss} kB"

speed=$("${rt[@]}" openssl speed -seconds 3 ecdsap384 2>/dev/null)
openssl_verify=$(awk '/nistp384\)/ {print $NF}' <<<"$speed" | tail -1)
echo "openssl speed ecdsap384: ${openssl_verify} verify/s ($(openssl version | cut -d' ' -f1-2))"
cores=1
[ -z "${pin_broker[*]}" ] && cores=$(nproc)
echo "best broker rate: $best handshakes/s (wall) on $cores core(s); there $best_cpu_rate handshakes per broker CPU second"
echo "figures: $best handshakes/s wall on $cores core(s), $best_cpu_rate handshakes per broker CPU second, openssl $openssl_verify verify/s, broker peak RSS $broker_rss kB"
awk -v r="$best_cpu_rate" -v o="$openssl_verify" 'BEGIN { printf "score: %.3f\n", r / o }'
