#!/usr/bin/env bash
# The demo on this machine (no SEV hardware): build guestguard, show what it detects and the
# posture it reports, then run the attestation and key-release flow on loopback with the
# SIMULATED secure processor. Issue "Boot integration" moves the guest half into a QEMU VM.
set -uo pipefail
cd "$(dirname "$0")/.."
echo "== building guestguard and guestguard-broker (release, static Swift runtime)"
swift build -c release --static-swift-stdlib --product guestguard 2>&1 | tail -1
swift build -c release --static-swift-stdlib --product guestguard-broker 2>&1 | tail -1
bin=.build/release
modprobe msr 2>/dev/null || true

echo
echo "== guestguard detect    (which AMD memory-encryption mode is active, and how far each source is trusted)"
$bin/guestguard detect; echo "(exit $?)"
echo
echo "== guestguard status    (the VM's encryption posture; exit 0 ok, 1 warn, 2 fail)"
$bin/guestguard status; echo "(exit $?)"

work=$(mktemp -d /tmp/guestguard-demo.XXXXXX)
trap 'kill $broker 2>/dev/null; rm -rf "$work"' EXIT
echo
echo "== tenant: a simulated AMD secure processor (test keys, NOT AMD) and a release policy that trusts it"
$bin/guestguard simulator init "$work/sim"
echo
echo "== tenant: the key broker holds the disk key for default/disk/root under that policy"
head -c 64 /dev/urandom > "$work/disk.key"
$bin/guestguard-broker key import default/disk/root "$work/disk.key" --data "$work/broker"
$bin/guestguard-broker policy set default/disk/root "$work/sim/policy.toml" --data "$work/broker"
$bin/guestguard-broker serve --listen 127.0.0.1:0 --data "$work/broker" > "$work/broker.log" 2>&1 &
broker=$!
for _ in $(seq 100); do grep -q 'listening on http' "$work/broker.log" && break; sleep 0.1; done
url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/broker.log" | head -1)
echo "broker on $url"
echo
echo "== guest: attest (a fresh report bound to the broker's nonce and an ephemeral key) and fetch the key"
if $bin/guestguard get-resource --broker "$url" --resource default/disk/root --simulator "$work/sim" --out "$work/fetched.key"; then
  cmp -s "$work/disk.key" "$work/fetched.key" && echo "the guest holds the tenant's key (compared, not printed)"
fi
echo
echo "== guest: a report and the tenant's offline check of it"
$bin/guestguard report --simulator "$work/sim" --nonce "$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')" --out "$work/report.bin" --certs "$work/certs"
$bin/guestguard verify "$work/report.bin" --certs "$work/certs" --policy "$work/sim/policy.toml" | tail -3
echo "…and the same report against AMD's real roots:"
$bin/guestguard verify "$work/report.bin" --certs "$work/certs" | grep -E 'FAIL vek-signature|VERIFIED'
echo
echo "== tenant: the broker's audit (one JSON line per decision; the key never appears)"
grep '"decision"' "$work/broker.log"
exit 0
