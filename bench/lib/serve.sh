# shellcheck shell=bash
# Sourced by bench/serve.sh and bench/serve-rss.sh: one way to start `guestguard serve` for a bench.
# gg_serve_start BIN WORK: the simulated secure processor in WORK/sim, the daemon on a free loopback
# port (no unix socket); sets daemon_pid and url (http://127.0.0.1:PORT), or prints its output and fails.
gg_serve_start() {
	local bin=$1 work=$2
	"$bin" simulator init "$work/sim" >/dev/null
	"$bin" serve --listen 127.0.0.1:0 --socket "" --simulator "$work/sim" > "$work/serve.out" 2>&1 &
	daemon_pid=$!
	for _ in $(seq 100); do grep -q 'listening on http' "$work/serve.out" && break; sleep 0.1; done
	url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/serve.out" | head -1)
	[ -n "$url" ] || { cat "$work/serve.out" >&2; return 1; }
}
