#!/usr/bin/env bash
# `make bench`: every bench/*.sh in turn, each installing its own peers (scripts/install-deps.sh),
# all on the release binaries built once here (as `make release`, plus the two bench drivers), then
# one table: bench, its `figures:` line, its `score:` line (the last two lines each bench prints),
# its wall time. Each bench's whole output is in out/bench/NAME.log. Exit status 1 if any failed, or left
# a process running (each runs in a session of its own; what remains in it is listed, stopped, and fails it).
# Usage: scripts/bench.sh [NAME...]        (default every bench/*.sh; NAME as in bench/NAME.sh)
#   BENCH_QUICK=1  shorter runs of each (a try-out: about 10 minutes instead of 30; noisier figures)
#   JOBS=N         swift build -j N (default: SwiftPM's, one per core)
#   SKIP_BUILD=1   no build: the release binaries already in .build/release
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
names=("$@")
if [ ${#names[@]} = 0 ]; then
	for f in bench/*.sh; do names+=("$(basename "$f" .sh)"); done
fi
log_dir=out/bench
mkdir -p "$log_dir"

# One release build of what the benches run; they reuse it (SKIP_BUILD=1, GG_BIN, CONFIG=release).
# SKIP_BUILD=1 here: the release binaries already in .build/release (say, while the rest still builds).
for product in guestguard guestguard-boot guestguard-broker kbs-handshake-bench snp-verify-bench; do
	if [ -n "${SKIP_BUILD:-}" ]; then
		[ -x ".build/release/$product" ] || echo "bench: SKIP_BUILD=1 but no .build/release/$product" >&2
		continue
	fi
	echo "bench: swift build -c release --static-swift-stdlib --product $product"
	swift build ${JOBS:+-j "$JOBS"} -c release --static-swift-stdlib --product "$product" >"$log_dir/build-$product.log" 2>&1 \
		|| { tail -20 "$log_dir/build-$product.log"; echo "bench: the release build failed" >&2; exit 1; }
done
export SKIP_BUILD=1 CONFIG=release GG_BIN=$PWD/.build/release

# The arguments of a quick run (BENCH_QUICK=1); the defaults are each bench's stated workload.
quick_args() {
	case $1 in
	broker) echo 2 ;;              # seconds per concurrency level (default 8)
	broker-flood) echo 3 ;;        # fetches per phase (default 8)
	broker-postgres) echo 2 ;;     # seconds per level (default 8)
	broker-storm) echo 200 16 ;;   # guests, concurrency (default 1000 32)
	measure) echo 3 ;;             # runs per tool and scenario (default 10)
	serve) echo 3 10 ;;            # wrk seconds, idle seconds (default 10 60)
	unlock) echo 5 ;;              # runs (default 15)
	unlock-vs-clevis) echo 1 ;;    # boots (default 3)
	verify) echo Tests/SNPVerifierTests/Fixtures 1 ;;   # seconds per mode (default 5)
	esac
}

# The benches' scratch directories (their mktemp -d names; the test suites' are other names).
temp_dirs() {
	find /tmp /dev/shm -maxdepth 1 \( -name 'guestguard-*bench*' -o -name 'guestguard-storm*' -o -name 'guestguard-serve-rss.*' \
		-o -name 'gg-initramfs-size.*' \) 2>/dev/null | sort
}
rows=()
failed=0
for name in "${names[@]}"; do
	script=bench/$name.sh
	[ -x "$script" ] || { echo "bench: no $script" >&2; failed=1; continue; }
	args=()
	[ -n "${BENCH_QUICK:-}" ] && read -r -a args <<<"$(quick_args "$name")"
	echo "bench: $script ${args[*]}  (log: $log_dir/$name.log)"
	start=$(date +%s)
	temp_before=$(temp_dirs)
	# In a session of its own: whatever the bench leaves running (a broker, nginx, PostgreSQL, QEMU) is
	# still in that session afterwards, and is a defect of the bench (reported, then stopped).
	setsid "$script" "${args[@]}" >"$log_dir/$name.log" 2>&1 </dev/null &
	session=$!
	wait "$session"
	rc=$?
	seconds=$(($(date +%s) - start))
	figures=$(grep '^figures: ' "$log_dir/$name.log" | tail -1 | cut -d' ' -f2-)
	score=$(tail -1 "$log_dir/$name.log" | sed -n 's/^score: //p')
	# Live ones only (a killed daemon may still be exiting: a few seconds' grace; zombies are not running).
	for _ in 1 2 3 4 5 6; do
		leftover=$(ps -s "$session" -o pid=,stat=,args= 2>/dev/null | awk '$2 !~ /^Z/' || true)
		[ -z "$leftover" ] && break
		sleep 0.5
	done
	if [ -n "$leftover" ]; then
		echo "bench: $name left processes running (stopped now):" >&2; echo "  ${leftover//$'\n'/$'\n'  }" >&2
		mapfile -t pids < <(awk '{print $1}' <<<"$leftover")
		kill -TERM "${pids[@]}" 2>/dev/null; sleep 2; kill -KILL "${pids[@]}" 2>/dev/null
		rc="$rc, left $(wc -l <<<"$leftover") processes"
	fi
	# Other users of this machine may make such directories at the same time: reported, not failed.
	new_temp=$(comm -13 <(echo "$temp_before") <(temp_dirs))
	[ -z "$new_temp" ] || echo "bench: after $name, new temporary directories (its own if nobody else ran a bench): ${new_temp//$'\n'/ }" >&2
	if [ "$rc" != 0 ] || [ -z "$score" ]; then
		failed=1
		figures="FAILED (exit $rc): $(grep -v '^\s*$' "$log_dir/$name.log" | tail -1 | cut -c1-100)"
		score=-
	fi
	rows+=("$name"$'\t'"${figures:--}"$'\t'"$score"$'\t'"${seconds}s")
	echo "bench: $name: score ${score} in ${seconds}s"
done

echo
{
	printf 'bench\tfigures\tscore\ttime\n'
	printf '%s\n' "${rows[@]}"
} | awk -F'\t' '
	{ for (i = 1; i <= NF; i++) { cell[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) } n = NR }
	END {
		for (r = 1; r <= n; r++) {
			printf "| %-*s | %-*s | %*s | %*s |\n", w[1], cell[r, 1], w[2], cell[r, 2], w[3], cell[r, 3], w[4], cell[r, 4]
			if (r == 1) printf "|%s|%s|%s|%s|\n", dash(w[1] + 2), dash(w[2] + 2), dash(w[3] + 1) ":", dash(w[4] + 1) ":"
		}
	}
	function dash(k,   s) { s = ""; while (k-- > 0) s = s "-"; return s }'
exit "$failed"
