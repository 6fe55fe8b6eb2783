#!/usr/bin/env bash
# A legitimate guest's key fetch (`guestguard get-resource`, full HTTPS handshake, pinned CA) from
# 127.0.0.1, alone and then during an /auth flood from 127.0.0.2 (Python, 8 threads, a new TLS
# connection per request, as fast as it goes), against guestguard-broker with its default
# per-client limits (burst 20, 0.5/s) and session cap. Loopback only.
# Prints the median fetch time alone and under the flood, the flood's answers (200/429), and the
# broker's flood counters from /metrics.
# Last line:  score: <median fetch under flood / median fetch alone>   (lower is better; every fetch must succeed)
# Usage: bench/broker-flood.sh [fetches-per-phase]     (default 8; SKIP_BUILD=1 reuses .build/release)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh openssl curl python3
fetches=${1:-8}
if [ -z "${SKIP_BUILD:-}" ]; then
  swift build -c release --static-swift-stdlib --product guestguard-broker >&2   # as `make release`
  swift build -c release --static-swift-stdlib --product guestguard >&2
fi
bin=.build/release
work=$(mktemp -d /tmp/guestguard-flood-bench.XXXXXX)
broker_pid=""
trap '[ -n "$broker_pid" ] && kill "$broker_pid" 2>/dev/null; touch "$work/stop"; rm -rf "$work"' EXIT

$bin/guestguard simulator init "$work/sim" >/dev/null
head -c 64 /dev/urandom > "$work/disk.key"
$bin/guestguard-broker key import default/disk/root "$work/disk.key" --data "$work/data" >/dev/null
$bin/guestguard-broker policy set default/disk/root "$work/sim/policy.toml" --data "$work/data" >/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null

$bin/guestguard-broker serve --listen 127.0.0.1:0 --data "$work/data" --tls-cert "$work/cert.pem" --tls-key "$work/key.pem" \
  > "$work/broker.out" 2>&1 &
broker_pid=$!
for _ in $(seq 100); do grep -q 'listening on https' "$work/broker.out" && break; sleep 0.1; done
url=$(grep -o 'https://127.0.0.1:[0-9]*' "$work/broker.out" | head -1)
port=${url##*:}
echo "broker: $url (pid $broker_pid), default limits"

# Milliseconds per fetch, one per line; exits non-zero when a fetch fails.
fetch_times() {
  for _ in $(seq "$fetches"); do
    local start end
    start=$(date +%s%N)
    $bin/guestguard get-resource --broker "$url" --broker-ca "$work/cert.pem" --resource default/disk/root \
      --simulator "$work/sim" --out "$work/fetched.key" --attempts 1 >/dev/null 2>"$work/fetch.err" \
      || { echo "fetch failed: $(cat "$work/fetch.err")" >&2; return 1; }
    end=$(date +%s%N)
    cmp -s "$work/fetched.key" "$work/disk.key" || { echo "wrong key" >&2; return 1; }
    echo $(( (end - start) / 1000000 ))
    sleep 0.2
  done
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

alone=$(fetch_times | median)
echo "fetch alone: median ${alone} ms over $fetches"

python3 - "$port" "$work/stop" > "$work/flood.out" <<'PY' &
import http.client, json, os, ssl, sys, threading
port, stop = int(sys.argv[1]), sys.argv[2]
context = ssl._create_unverified_context()
body = json.dumps({"version": "0.4.0", "tee": "snp", "extra-params": ""})
counts, lock = {}, threading.Lock()
def flood():
    while not os.path.exists(stop):
        try:
            c = http.client.HTTPSConnection("127.0.0.1", port, context=context, source_address=("127.0.0.2", 0), timeout=10)
            c.request("POST", "/kbs/v0/auth", body, {"Content-Type": "application/json"})
            status = str(c.getresponse().status)
            c.close()
        except Exception as error:
            status = type(error).__name__
        with lock:
            counts[status] = counts.get(status, 0) + 1
threads = [threading.Thread(target=flood) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
print(json.dumps(counts, sort_keys=True))
PY
flood_pid=$!
sleep 2
flooded=$(fetch_times | median)
touch "$work/stop"
wait "$flood_pid"
echo "fetch during the flood: median ${flooded} ms over $fetches (every fetch got the key)"
echo "flood from 127.0.0.2: $(cat "$work/flood.out")"
curl -sk "$url/metrics" | grep -E '^guestguard_broker_(rate_limited_total|session_cap|sessions)' || true
echo "figures: key fetch ${alone} ms alone, ${flooded} ms during the /auth flood"
awk -v a="$alone" -v f="$flooded" 'BEGIN { printf "score: %.2f\n", f / a }'
