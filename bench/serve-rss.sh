#!/usr/bin/env bash
# Resident memory of `guestguard serve` after 10,000 requests to /healthz (one keep-alive connection,
# python3 http.client; loopback only), from /proc/PID/status: VmRSS and its file-backed (RssFile: pages
# of the executable and libraries) and anonymous (RssAnon: heap, stacks) parts, then /proc/PID/smaps by
# mapping. Goal (issue 14): <= 15 MB.
# Last line:  score: 15 MB / VmRSS   (>= 1 meets the goal)
# Usage: bench/serve-rss.sh [requests]   env: GG_BIN=DIR (release guestguard; default .build/release,
# built if missing), GG_SETTLE_SECONDS (wait after start-up before the requests; default 6)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh python3
requests=${1:-10000}
bin=${GG_BIN:-.build/release}/guestguard
[ -x "$bin" ] || swift build -c release --static-swift-stdlib --product guestguard >&2
work=$(mktemp -d /tmp/guestguard-serve-rss.XXXXXX)
daemon_pid=""
# The daemon is waited for before its directory goes (it may still write there while it stops).
cleanup() { if [ -n "$daemon_pid" ]; then kill "$daemon_pid" 2>/dev/null; wait "$daemon_pid" 2>/dev/null; fi; rm -rf "$work"; }
trap cleanup EXIT

# shellcheck source=bench/lib/serve.sh
. bench/lib/serve.sh
gg_serve_start "$bin" "$work"
kb() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$daemon_pid/status"; }
echo "guestguard serve $url (pid $daemon_pid), $(stat -L -c %s "$bin") B executable; at start: VmRSS $(kb VmRSS) kB (file $(kb RssFile), anon $(kb RssAnon))"
# A daemon's steady state: serve gives its start-up pages back 5 s after it listens (ResidentMemory).
sleep "${GG_SETTLE_SECONDS:-6}"
echo "settled: VmRSS $(kb VmRSS) kB (file $(kb RssFile), anon $(kb RssAnon))"
python3 - "$url" "$requests" <<'PY'
import http.client, sys, urllib.parse
url = urllib.parse.urlsplit(sys.argv[1]); n = int(sys.argv[2]); codes = {}
conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
for _ in range(n):
    conn.request("GET", "/healthz"); r = conn.getresponse(); r.read(); codes[r.status] = codes.get(r.status, 0) + 1
print("%d requests to /healthz: %s" % (n, ", ".join("%d x %d" % (c, k) for k, c in sorted(codes.items()))))
PY
sleep 1
rss=$(kb VmRSS)
echo "after $requests requests: VmRSS $rss kB (file-backed RssFile $(kb RssFile) kB, anonymous RssAnon $(kb RssAnon) kB, shmem $(kb RssShmem) kB), VmHWM $(kb VmHWM) kB"
# Where it is (/proc/PID/smaps): resident kB per mapped file (file-backed plus its copy-on-write pages) and
# for the anonymous mappings, largest first; and the thread count (each thread: a stack and maybe a malloc arena).
echo "threads: $(awk '$1 == "Threads:" {print $2}' "/proc/$daemon_pid/status"); resident kB by mapping:"
awk '/^[0-9a-f]+-[0-9a-f]+ / {name = (NF >= 6 ? $6 : "[anonymous]")} $1 == "Rss:" {rss[name] += $2}
	END {for (n in rss) if (rss[n] > 0) printf "  %8d %s\n", rss[n], n}' "/proc/$daemon_pid/smaps" | sort -rn | head -8
echo "figures: VmRSS $rss kB after $requests requests (goal <= 15 MB)"
echo "score: $(python3 -c "print(round(15 * 1024 / $rss, 3))")"
