#!/usr/bin/env bash
# /healthz of `guestguard serve` under wrk (64 connections, 2 threads) beside nginx serving a
# static file of the same size as our /healthz body, on another loopback port, in the same run;
# then the daemon's RSS (VmRSS) and its CPU use over 60 idle seconds (utime+stime).
# All three share this machine's cores, as in docs/shared clevis-nginx-baseline §3.
# Last line:  score: <our req/s / nginx req/s>   (goals: >= 0.5, RSS <= 20 MB, idle CPU < 0.5 %)
# Usage: bench/serve.sh [seconds] [idle-seconds]    (defaults 10 and 60; SKIP_BUILD=1 reuses the build)
#        GG_BIN=DIR uses DIR/guestguard
# Installs its peers (wrk, nginx-light) with scripts/install-deps.sh; an nginx it installed is not left
# serving port 80 (the bench runs its own instance on loopback).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
idle=${2:-60}
had_nginx=$(dpkg-query -W -f='${Status}' nginx-common 2>/dev/null || true)
scripts/install-deps.sh wrk nginx-light curl python3
if [[ $had_nginx != *"ok installed"* ]]; then   # systemd, or sysvinit (the init script apt just ran)
  if [ -d /run/systemd/system ]; then systemctl disable --now nginx.service >/dev/null 2>&1 || true
  else service nginx stop >/dev/null 2>&1 || true; update-rc.d nginx disable >/dev/null 2>&1 || true; fi
fi
if [ -z "${SKIP_BUILD:-}" ]; then
  swift build -c release --static-swift-stdlib --product guestguard >&2
fi
bin=${GG_BIN:-$(swift build -c release --static-swift-stdlib --show-bin-path)}/guestguard   # GG_BIN=DIR: binaries built elsewhere
work=$(mktemp -d /tmp/guestguard-serve-bench.XXXXXX)
daemon_pid=""
cleanup() {
  if [ -n "$daemon_pid" ]; then kill "$daemon_pid" 2>/dev/null; wait "$daemon_pid" 2>/dev/null || true; fi
  if [ -f "$work/nginx/nginx.pid" ]; then kill -QUIT "$(cat "$work/nginx/nginx.pid")" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# shellcheck source=bench/lib/serve.sh
. bench/lib/serve.sh
gg_serve_start "$bin" "$work"
status=$(curl -s -o "$work/healthz.body" -w '%{http_code}' "$url/healthz")
size=$(stat -c %s "$work/healthz.body")
echo "guestguard serve: $url (pid $daemon_pid), /healthz answers $status with $size bytes ($(tr -d '\n' < "$work/healthz.body"))"
[ "$status" = 200 ] || echo "note: this machine's posture is not ok, so /healthz is 503; wrk counts those as non-2xx but the work per request is the same"

# nginx: private prefix, 2 workers (as many as cores), static file of the same size.
mkdir -p "$work/nginx/www" "$work/nginx/logs"
cp "$work/healthz.body" "$work/nginx/www/healthz"
nginx_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$work/nginx/nginx.conf" <<CONF
user root;
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 100000;
  server {
    listen 127.0.0.1:$nginx_port;
    location = /healthz { default_type text/plain; alias $work/nginx/www/healthz; }
  }
}
CONF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf"
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$nginx_port/healthz" && break; sleep 0.1; done
echo "nginx $(nginx -v 2>&1 | cut -d/ -f2): http://127.0.0.1:$nginx_port/healthz ($(stat -c %s "$work/nginx/www/healthz") bytes)"

# Prints "req/s p99(ms)".
run_wrk() {
  local out
  out=$(wrk -t2 -c64 -d"${seconds}s" --latency "$1")
  echo "$out" >&2
  awk '/Requests\/sec:/ {rate=$2}
       $1 == "99%" { v=$2; if (v ~ /us$/) { sub(/us$/, "", v); v=v/1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v=v*1000 }; p99=v }
       END { printf "%s %.2f\n", rate, p99 }' <<<"$out"
}
wrk -t2 -c64 -d2s "$url/healthz" >/dev/null   # warm-up
# Reset the daemon's referenced bits: what is referenced afterwards is its working set while serving.
echo 1 > "/proc/$daemon_pid/clear_refs" 2>/dev/null || true
read -r ours ours_p99 < <(run_wrk "$url/healthz")
referenced=$(awk '/^Referenced:/ {total += $2} END {print total}' "/proc/$daemon_pid/smaps")
read -r theirs theirs_p99 < <(run_wrk "http://127.0.0.1:$nginx_port/healthz")
echo "guestguard /healthz: $ours req/s, p99 $ours_p99 ms"
echo "nginx static file:   $theirs req/s, p99 $theirs_p99 ms"

rss=$(awk '/VmRSS/ {print $2}' "/proc/$daemon_pid/status")
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$daemon_pid/status")
file=$(awk '/RssFile/ {print $2}' "/proc/$daemon_pid/status")
echo "daemon RSS: $rss kB now (of which $file kB clean file pages of the binary and libraries), peak $hwm kB"
echo "daemon working set while serving (smaps Referenced after clear_refs): $referenced kB"

ticks() { awk '{print $14 + $15 + $16 + $17}' "/proc/$daemon_pid/stat"; }  # utime stime cutime cstime: the watcher's systemctl children count
sleep 2
before=$(ticks)
sleep "$idle"
after=$(ticks)
hz=$(getconf CLK_TCK)
awk -v a="$before" -v b="$after" -v hz="$hz" -v s="$idle" 'BEGIN { printf "idle CPU over %d s: %.3f %% (%d ticks)\n", s, (b - a) / hz / s * 100, b - a }'
awk -v o="$ours" -v t="$theirs" -v r="$rss" -v a="$before" -v b="$after" -v hz="$hz" -v s="$idle" \
  'BEGIN { printf "figures: %s req/s (nginx %s), RSS %d kB, idle CPU %.3f %%\n", o, t, r, (b - a) / hz / s * 100 }'
awk -v o="$ours" -v t="$theirs" 'BEGIN { printf "score: %.3f\n", o / t }'
