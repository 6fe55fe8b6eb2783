#!/usr/bin/env bash
# The demo: a QEMU guest (TCG, Debian kernel, Debian initramfs with guestguard's hook) whose LUKS2
# root disk is opened by a key that the tenant's broker releases only against an attestation report.
# There is no SEV hardware here, so the guest uses the SIMULATED secure processor (test keys, not AMD),
# which runs on the host beside QEMU and measures the kernel, initrd and command line QEMU is given.
# Ends with the tenant's view: the guest's `guestguard status`, as printed on its serial console.
# Needs root and the packages of `make deps`; about 1–3 minutes after the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source-path=SCRIPTDIR source=../tests/vm/lib.sh
. tests/vm/lib.sh
GG_WORK=$(mktemp -d /tmp/guestguard-demo.XXXXXX); export GG_WORK
trap 'gg_broker_stop; gg_sim_stop; rm -rf "$GG_WORK"' EXIT
say() { printf '\n== %s\n' "$*"; }

say "building guestguard and guestguard-broker (release, static Swift runtime)"
gg_build
GG_PORT=$(gg_freeport); GG_MARKER="tenant-data-$RANDOM"; export GG_PORT GG_MARKER

say "tenant: a simulated AMD secure processor (NOT AMD), the disk key, the broker's TLS identity"
gg_tenant

say "tenant: the root disk, LUKS2 made in userspace; keyslot 0 opens only with the broker's key"
gg_config ""
gg_rootfs
gg_disk "$GG_WORK/disk.img" "$GG_WORK/disk.key"
cryptsetup luksDump "$GG_WORK/disk.img" | grep -E '^\s+(cipher|type|keyslot|resource|brokers)|guestguard' | head -8 || true
echo "the host sees ciphertext: $(grep -c "$GG_MARKER" "$GG_WORK/disk.img" || true) plaintext markers in the image"

say "tenant: a Debian initramfs (mkinitramfs) with guestguard's hook and its configuration (brokers and their pin: never from the disk)"
gg_initramfs "$GG_WORK/initrd.img"
echo "initrd: $(stat -c %s "$GG_WORK/initrd.img") bytes (zstd); configuration baked in:"
sed -n '/^brokers/,/^name/p' "$GG_WORK/etc/guestguard.toml"

say "tenant: the release policy pins the launch measurement of exactly this kernel, initrd and command line (guestguard measure)"
cmdline="gg.status gg.serve quiet"
gg_accept_launch "$GG_WORK/accept.toml" demo "$GG_WORK/initrd.img" "$cmdline"
grep -E '^measurements' "$GG_WORK/accept.toml"
gg_broker_data "$GG_WORK/broker" "$GG_WORK/disk.key" "$GG_WORK/accept.toml"
gg_broker_start "$GG_WORK/broker" "$GG_WORK/broker.log"
echo "broker on https://127.0.0.1:$GG_PORT holds default/disk/root (the guest sees it as 10.0.2.2:$GG_PORT)"
echo "its TLS certificate's public key, pinned in the guest's configuration: spki-sha256:$GG_BROKER_PIN"

say "host: boot it (QEMU TCG, about 15 s); the guest attests, fetches the key, unlocks and mounts root, then runs guestguard serve"
fwd=$(gg_freeport)
export GG_MONITOR=$GG_WORK/monitor.sock
rm -f "$GG_WORK/serial.log"
gg_tenant_view "$GG_WORK/serial.log" "$fwd" "$GG_WORK/tenant" & viewer=$!
GG_QEMU_EXTRA="-monitor unix:$GG_MONITOR,server,nowait" GG_HOSTFWD="tcp:127.0.0.1:$fwd-:8787" \
	gg_boot "$GG_WORK/disk.img" "$GG_WORK/initrd.img" "$GG_WORK/serial.log" "$cmdline"
wait "$viewer" || true
gg_broker_stop
tr -d '\r' < "$GG_WORK/serial.log" | grep -E '^(guestguard:|GG-ROOT)' || true

say "tenant: the broker's audit (one JSON line per decision; the key never appears)"
grep -o '"decision":"[a-z]*"' "$GG_WORK/broker.log" | sort | uniq -c
gg_expect_no_key "$GG_WORK/disk.key" "$GG_WORK/serial.log" "$GG_WORK/broker.log"
echo "key checked absent (hex, base64, base64url) from the serial log and the broker log"

say "tenant's view: the guest's 'guestguard status' (printed by the guest on its serial console)"
tr -d '\r' < "$GG_WORK/serial.log" | sed -n '/^GG-STATUS-BEGIN/,/^GG-STATUS-END/p' | sed '1d'

say "tenant's view: the guest's health endpoint through hostfwd (503: a TCG guest has no memory encryption, and says so)"
echo "GET /healthz -> $(cat "$GG_WORK/tenant/healthz")"
say "tenant's view: guestguard verify --posture (fresh nonce; report, binding and document checked against the simulated ARK)"
grep -E '^(PASS|FAIL) (report-signature|policy|nonce|binding|document|posture)|VERIFIED' "$GG_WORK/tenant/verify.txt" || cat "$GG_WORK/tenant/verify.txt"
