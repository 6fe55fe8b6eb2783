#!/usr/bin/env bash
# SNP report verification throughput vs. raw OpenSSL ECDSA P-384 verification.
# Builds snp-verify-bench in release, runs it over the real vectors (chain cached and uncached),
# then `openssl speed -seconds 3 ecdsap384` in the same run. The last line is
#   score: <cached verifications/s / openssl ecdsap384 verify/s>     (goal >= 0.8)
# Usage: bench/verify.sh [fixtures-dir] [seconds-per-mode]   (about 1-2 minutes in all)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh openssl
fixtures=${1:-Tests/SNPVerifierTests/Fixtures}
seconds=${2:-5}

[ -n "${SKIP_BUILD:-}" ] || swift build -c release --static-swift-stdlib --product snp-verify-bench >&2   # SKIP_BUILD=1 reuses it
bench_out=$(.build/release/snp-verify-bench "$fixtures" "$seconds")
echo "$bench_out"
cached=$(awk '/^cached:/ {print $2}' <<<"$bench_out")

speed_out=$(openssl speed -seconds 3 ecdsap384 2>/dev/null)
# "384 bits ecdsa (nistp384)   0.0010s   0.0008s   1000.0   1250.0" -> last field is verify/s
openssl_verify=$(awk '/nistp384\)/ {print $NF}' <<<"$speed_out" | tail -1)
echo "openssl speed ecdsap384: ${openssl_verify} verify/s ($(openssl version))"

if [[ -z $cached || -z $openssl_verify ]]; then
  echo "bench/verify.sh: could not parse rates" >&2
  exit 1
fi
echo "figures: $cached cached verifications/s, openssl $openssl_verify verify/s"
awk -v c="$cached" -v o="$openssl_verify" 'BEGIN { printf "score: %.3f\n", c / o }'
