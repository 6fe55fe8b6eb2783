#!/usr/bin/env bash
# Time to an unlocked (verified) volume: from `guestguard unlock --verify-only` being exec'd to the
# volume key verified against the LUKS2 digest, with a guestguard-broker on loopback, a SIMULATED
# secure processor (`guestguard simulator init`), and a LUKS2 image enrolled against the broker.
# Phases come from `unlock --timings` (stderr, durations only):
#   header-copy   header + keyslot areas copied into tmpfs and loaded (crypt_header_backup, crypt_load)
#   header-check  token read, metadata parsed, header policy applied
#   attest        report fetches (the simulator signs with ECDSA P-384; a real PSP is slower)
#   broker        HTTP round trips to the broker (auth, attest, resource), broker-side verification included
#   key-fetch     attest + broker + client work (ephemeral key, REPORT_DATA binding, JWE open)
#   keyslot-open  PBKDF2 (1000 iterations) + AF merge + digest check (crypt_activate_by_passphrase, NULL name)
#   startup       wall total minus the command's own run time (exec, dynamic loading, argument parsing)
# Last line:  score: 1 / median wall seconds per unlock (higher is better; 10 = 100 ms per unlock).
# Usage: bench/unlock.sh [runs]         (default 15 runs; about 10 s plus the build)
#        CONFIG=release bench/unlock.sh  (release binaries; the first release build takes minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh cryptsetup-bin openssl
runs=${1:-15}
config=${CONFIG:-debug}
static=(); [ "$config" = release ] && static=(--static-swift-stdlib)   # as `make release`
if [ -z "${SKIP_BUILD:-}" ]; then
  swift build -c "$config" "${static[@]}" --product guestguard >&2
  swift build -c "$config" "${static[@]}" --product guestguard-broker >&2
fi
bin=.build/$config
work=$(mktemp -d /tmp/guestguard-unlock-bench.XXXXXX)
copies=$(mktemp -d /dev/shm/guestguard-unlock-bench.XXXXXX 2>/dev/null || echo "$work/copies")
broker_pid=
trap '[ -n "$broker_pid" ] && kill "$broker_pid" 2>/dev/null; rm -rf "$work" "$copies"' EXIT

"$bin"/guestguard simulator init "$work/sim" >/dev/null
head -c 64 /dev/urandom > "$work/disk.key"
"$bin"/guestguard-broker key import default/disk/root "$work/disk.key" --data "$work/data" >/dev/null
"$bin"/guestguard-broker policy set default/disk/root "$work/sim/policy.toml" --data "$work/data" >/dev/null
# The broker serves https with its own certificate; the guest side pins its public key (as every unlock must).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/broker.key" -out "$work/broker.pem" -days 2 \
  -subj /CN=broker -addext subjectAltName=IP:127.0.0.1 2>/dev/null
pin=$(openssl x509 -in "$work/broker.pem" -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum | cut -c1-64)
"$bin"/guestguard-broker serve --listen 127.0.0.1:0 --data "$work/data" --tls-cert "$work/broker.pem" --tls-key "$work/broker.key" \
  > "$work/broker.out" 2>&1 &
broker_pid=$!
for _ in $(seq 100); do grep -q 'listening on https' "$work/broker.out" && break; sleep 0.1; done
url=$(grep -o 'https://127.0.0.1:[0-9]*' "$work/broker.out" | head -1)

# The image: what `cryptsetup luksFormat` makes (aes-xts-plain64, 512-bit key, 16 MiB header area),
# then `guestguard enroll` adds the broker's key in a PBKDF2 keyslot and the token.
truncate -s 64M "$work/disk.img"
printf 'bench passphrase' > "$work/passphrase"
cryptsetup luksFormat --type luks2 --batch-mode --pbkdf pbkdf2 --pbkdf-force-iterations 1000 --key-file "$work/passphrase" "$work/disk.img"
"$bin"/guestguard enroll "$work/disk.img" --broker "$url" --broker-pin "$pin" --resource default/disk/root --simulator "$work/sim" --key-file "$work/passphrase"
echo "broker: $url; binaries: $bin; header copies in $copies; $runs runs"

phases="header-copy header-check attest broker key-fetch keyslot-open run"
: > "$work/samples"
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  "$bin"/guestguard unlock "$work/disk.img" --verify-only --timings --simulator "$work/sim" --header-copies "$copies" --broker "$url" --broker-pin "$pin" \
    > "$work/out" 2> "$work/err" || { cat "$work/out" "$work/err" >&2; exit 1; }
  end=$(date +%s%N)
  grep -q 'the key opens keyslot' "$work/out"
  wall=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", (e - s) / 1e6 }')
  line="wall $wall"
  for p in $phases; do line="$line $p $(awk -v p="$p" '$1 == "timing:" && $2 == p { print $3 }' "$work/err")"; done
  echo "$line" >> "$work/samples"
done
# Never a key in what the command printed.
key_hex=$(od -An -tx1 -v "$work/disk.key" | tr -d ' \n')
if grep -qi "$key_hex" "$work/out" "$work/err" "$work/broker.out"; then echo "key material in output!" >&2; exit 1; fi

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
column() { awk -v k="$1" '{ for (i = 1; i < NF; i += 2) if ($i == k) print $(i + 1) }' "$work/samples"; }
printf '%-14s %10s %10s %10s   (ms over %d runs)\n' phase median min max "$runs"
for p in header-copy header-check attest broker key-fetch keyslot-open run wall; do
  values=$(column "$p")
  printf '%-14s %10s %10s %10s\n' "$p" "$(median <<<"$values")" "$(sort -n <<<"$values" | head -1)" "$(sort -n <<<"$values" | tail -1)"
done
startup=$(awk '{ for (i = 1; i < NF; i += 2) { if ($i == "wall") w = $(i + 1); if ($i == "run") r = $(i + 1) } print w - r }' "$work/samples" | median)
printf '%-14s %10s\n' startup "$startup"
wall_median=$(column wall | median)
echo "figures: $wall_median ms per unlock (median of $runs, $config binaries), startup $startup ms"
awk -v m="$wall_median" 'BEGIN { printf "score: %.3f\n", 1000 / m }'
