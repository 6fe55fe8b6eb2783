#!/usr/bin/env bash
# End-to-end VM test (QEMU TCG, Debian kernel, initramfs built by mkinitramfs with our hook):
#   positive      the guest attests (simulated secure processor) to guestguard-broker on the host's
#                 loopback, gets the disk key, unlocks and mounts the LUKS2 root, reaches /sbin/init;
#                 the broker audit shows one release; the key is in neither log; the guest then runs
#                 guestguard serve and the host checks /healthz and `verify --posture` through hostfwd.
#   broker-down   no broker: bounded retries, then power-off, no shell (hostile break=/rd.shell/init= given)
#   policy-reject the broker's policy wants another measurement: power-off
#   cipher-null   a cipher_null header: refused before any key is requested, power-off
#   wrong-key     the broker holds a key that opens nothing: power-off
#   vtpm          positive with a vTPM (swtpm): the broker requires a TPM quote; the unlock is measured into PCR 15
#   rogue-broker  the host answers at the broker's address with its own certificate, sealing the key of its own
#                 volume to the guest's tee-pubkey: the pin refuses it before /attest; power-off
#   foreign-disk  the host attaches another VM's disk (same resource, same key, another LUKS2 UUID) instead of ours: power-off, no key
#   foreign-beside ours and the foreign disk both attached, root= naming the foreign one: power-off, no key, nothing opened
#   allow-discards the header carries config.flags = ["allow-discards"]: refused before any key request, power-off
#   boot-nfs      boot=nfs (would skip local-top, so the unlock and the init= pin): power-off before anything
#   resume        resume= names a device: ignored (no resume attempt), the boot unlocks and reaches root; no TRIM through dm-crypt
#   measured-cmdline, measured-initrd, measured-vcpus (issue 13): the tenant's policy pins `guestguard measure`'s
#                 result for the positive boot's kernel, initrd, command line and vCPUs; the host appends
#                 init=/bin/sh, swaps in an initrd whose guestguard has one byte appended, or boots 3 vCPUs: the
#                 simulated secure processor on the host measures what QEMU really got, the broker refuses (its
#                 audit names the measurement rule), power-off, no key.
#   by-name, by-name-rogue, ipv6-only, ipv6-static, ipv4-static, net-down, hostile-lease (issue 17): the initramfs network from the measured [network],
#                 the broker by DNS name under a tenant CA (tests/vm/net.sh)
#   data-volume   root and a data volume (each named in the configuration, the data key under its own resource)
#                 unlocked in one boot with ONE attestation: one /attest in the broker's audit, two releases in its session
#   dracut-positive, dracut-broker-down (issue 17): the initramfs built by dracut (systemd in the initrd) in a Debian 12
#                 root where apt installed guestguard_*.deb (its 90guestguard module and guestguard-unlock.service):
#                 the positive boot reaches the root's /sbin/init; with no broker and rd.shell, bounded retries then
#                 power-off, no shell; with rd.shell rd.emergency (emergency.target at once), power-off, no shell.
#   dracut-by-name, dracut-ipv6-only (issue 17): by-name and ipv6-only in the dracut initramfs (systemd-networkd from [network];
#                 the host's ip=, ifname=, nameserver=, rd.peerdns=, rd.neednet=0 ignored; tests/vm/net.sh)
# With guestguard_*.deb in $GG_DEB (default out/deb: make deb), the guest is built as a user builds it: apt installs the
# package in a Debian 12 root (tests/vm/guest-root.sh, debootstrap cached in .build-vm/) and update-initramfs builds
# every initramfs there; without a package, mkinitramfs with the source tree's hook (and the dracut boots are refused).
# Every boot: the simulated secure processor runs on the host (`guestguard simulator serve`, virtio-serial), and
# each tenant policy pins the `guestguard measure` result of that boot's launch (labelled with the scenario);
# every initramfs built and the root tree are checked for the simulator's private key (there is none).
# Usage: tests/vm/run.sh [scenario ...]      env: GG_BIN=DIR (reuse release binaries), GG_WORK=DIR, GG_KEEP=1
# Needs root (mkinitramfs, qemu), qemu-system-x86, linux-image-amd64, busybox-static, initramfs-tools, cryptsetup-bin.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=net.sh
. "$(dirname "$0")/net.sh"
# shellcheck source-path=SCRIPTDIR source=guest-root.sh
. "$(dirname "$0")/guest-root.sh"

scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(positive broker-down policy-reject cipher-null wrong-key vtpm rogue-broker foreign-disk foreign-beside allow-discards boot-nfs resume
	measured-cmdline measured-initrd measured-vcpus by-name by-name-rogue ipv6-only ipv6-static ipv4-static net-down hostile-lease data-volume dracut-positive dracut-broker-down
	dracut-by-name dracut-ipv6-only)
GG_WORK=${GG_WORK:-$(mktemp -d /tmp/guestguard-vm.XXXXXX)}
export GG_WORK
cleanup() { gg_broker_stop; gg_sim_stop; gg_dns_stop; [ -n "${swtpm_pid:-}" ] && kill "$swtpm_pid" 2>/dev/null; [ -n "${GG_KEEP:-}" ] || rm -rf "$GG_WORK"; }
trap cleanup EXIT
[ -e "$GG_KERNEL" ] || gg_die "no kernel $GG_KERNEL (apt-get install linux-image-amd64)"
suite_start=$(date +%s)

gg_log "== build (release binaries, stripped copy for the initramfs)"
gg_build
GG_PORT=$(gg_freeport); export GG_PORT
GG_MARKER="root-marker-$RANDOM$RANDOM"; export GG_MARKER
gg_tenant
gg_config ""
if [ -n "$(gg_guest_deb)" ]; then
	gg_log "== guest root (apt install ./$(basename "$(gg_guest_deb)") in Debian 12; update-initramfs builds every initramfs)"
	gg_deb_guest
else
	gg_log "NOTE: no guestguard_*.deb in ${GG_DEB:-out/deb} (make deb): the initramfs is built from the source tree's hook"
fi
gg_rootfs

gg_log "== initramfs (update-initramfs in the guest root with the package, or mkinitramfs with the source tree's hook)"
t0=$(date +%s.%N)
gg_initramfs "$GG_WORK/initrd.img"
gg_log "initramfs: $(stat -c %s "$GG_WORK/initrd.img") bytes zstd, built in $(echo "$(date +%s.%N) - $t0" | bc | cut -c1-5) s"
lsinitramfs "$GG_WORK/initrd.img" > "$GG_WORK/initrd.list"
grep -q 'usr/bin/guestguard-boot$' "$GG_WORK/initrd.list" || gg_die "guestguard-boot is not in the initramfs"
# Only the boot-only executable: the multi-call guestguard (server, deny engine, verifier, simulator) stays on the root.
if grep -q 'usr/bin/guestguard$' "$GG_WORK/initrd.list"; then gg_die "the multi-call guestguard is in the initramfs"; fi
grep -q 'scripts/local-top/guestguard$' "$GG_WORK/initrd.list" || gg_die "the local-top script is not in the initramfs"
grep -q 'virtio_console.ko' "$GG_WORK/initrd.list" || gg_die "virtio_console (the simulator's port) is not in the initramfs"
if grep -q 'etc/guestguard/sim' "$GG_WORK/initrd.list"; then gg_die "a simulator directory is in the initramfs"; fi
if [ -n "${GG_DEB_ROOT:-}" ]; then   # the package's executable, put there by the package's hook
	rm -rf "$GG_WORK/unpacked-check"; unmkinitramfs "$GG_WORK/initrd.img" "$GG_WORK/unpacked-check"
	cmp -s "$(find "$GG_WORK/unpacked-check" -path '*usr/bin/guestguard-boot' | head -1)" "$GG_DEB_ROOT/usr/bin/guestguard-boot" \
		|| gg_die "the initramfs's guestguard-boot is not the package's"
	rm -rf "$GG_WORK/unpacked-check"
	gg_log "initramfs: built by update-initramfs in the guest root with the packaged hook; guestguard-boot is the package's"
fi

# Release policies (the simulator's trust and rules) pin the launch of each boot: gg_accept_launch.
# The positive boot's, which the measured-* boots keep while the host changes its launch:
positive_extra="init=/bin/sh break=top gg.serve"
gg_accept_launch "$GG_WORK/positive.toml" positive "$GG_WORK/initrd.img" "$positive_extra"

hostile="break=top,premount,mount rd.shell rd.emergency init=/bin/sh"
budget_s=$(( 3 * 2 + 60 ))   # retry sleeps (0.5 + 1 s) + attestation and boot, generously
passed=()

positive() {
	gg_disk "$GG_WORK/disk.img" "$GG_WORK/disk.key"
	cp "$GG_WORK/positive.toml" "$GG_WORK/accept.toml"
	gg_broker_data "$GG_WORK/broker" "$GG_WORK/disk.key" "$GG_WORK/accept.toml"
	gg_broker_start "$GG_WORK/broker" "$GG_WORK/broker-positive.log"
	local log=$GG_WORK/serial-positive.log fwd viewer
	fwd=$(gg_freeport)
	rm -f "$log"
	export GG_MONITOR=$GG_WORK/monitor.sock
	gg_tenant_view "$log" "$fwd" "$GG_WORK/tenant" & viewer=$!
	GG_QEMU_EXTRA="-monitor unix:$GG_MONITOR,server,nowait" GG_HOSTFWD="tcp:127.0.0.1:$fwd-:8787" gg_boot "$GG_WORK/disk.img" "$GG_WORK/initrd.img" "$log" "$positive_extra"
	wait "$viewer" || true
	unset GG_MONITOR
	gg_broker_stop
	[ "$GG_BOOT_RC" = 0 ] || gg_die "positive: qemu exit $GG_BOOT_RC"
	gg_expect "$log" "guestguard: /dev/vda unlocked as /dev/mapper/root" positive
	gg_expect "$log" "GG-ROOT-INIT" positive
	gg_expect "$log" "GG-ROOT-MOUNT /dev/mapper/root / ext4" positive
	gg_expect "$log" "GG-ROOT-MARKER $GG_MARKER" positive
	gg_refuse "$log" "attempt 1/" positive
	local releases; releases=$(gg_releases "$GG_WORK/broker-positive.log")
	[ "$releases" = 1 ] || gg_die "positive: broker audit shows $releases releases, expected 1"
	gg_expect_no_key "$GG_WORK/disk.key" "$log" "$GG_WORK/broker-positive.log"
	# The tenant's view (issue 7): the guest's guestguard serve through hostfwd.
	gg_expect "$log" "GG-SERVE-STARTED" positive
	case $(cat "$GG_WORK/tenant/healthz") in 200|503) ;; *) gg_die "positive: /healthz answered $(cat "$GG_WORK/tenant/healthz")" ;; esac
	[ "$(cat "$GG_WORK/tenant/verify.rc")" = 0 ] || gg_die "positive: verify --posture failed: $(cat "$GG_WORK/tenant/verify.txt")"
	grep -q "PASS binding" "$GG_WORK/tenant/verify.txt" || gg_die "positive: verify --posture did not check the binding"
	grep -q "measurement allowed as: positive" "$GG_WORK/tenant/verify.txt" || gg_die "positive: verify --posture does not name the pinned launch's label"
	grep '"decision":"release"' "$GG_WORK/broker-positive.log" | grep -q '"measurementLabel":"positive"' || gg_die "positive: the release does not name the label"
	gg_expect "$log.sim" "simulator: report for VMPL 0" positive
	grep -q '"schema":"guestguard.status/v1"' "$GG_WORK/tenant/posture.json" || gg_die "positive: /v1/posture is not the posture document"
	local unlocked root_init
	unlocked=$(gg_uptime_of "$log" "guestguard: root unlocked")
	root_init=$(gg_uptime_of "$log" "GG-ROOT-INIT")
	gg_log "positive: PASS (kernel start -> root unlocked ${unlocked}s, -> root /sbin/init ${root_init}s guest uptime; qemu wall ${GG_BOOT_WALL%???????}s; 1 release of the pinned launch \"positive\"; tenant: /healthz $(cat "$GG_WORK/tenant/healthz"), verify --posture VERIFIED)"
}

broker_down() {
	gg_disk "$GG_WORK/disk.img" "$GG_WORK/disk.key"
	local log=$GG_WORK/serial-broker-down.log
	gg_boot "$GG_WORK/disk.img" "$GG_WORK/initrd.img" "$log" "$hostile"
	gg_expect_poweroff_without_shell "$log" broker-down
	gg_expect "$log" "guestguard: attempt 3/3: /dev/vda:" broker-down
	gg_expect "$log" "root not unlocked after 3 attempts" broker-down
	[ "$(grep -c 'guestguard: attempt' "$log")" = 3 ] || gg_die "broker-down: expected exactly 3 failure lines"
	[ "${GG_BOOT_WALL%%.*}" -lt $(( budget_s + 30 )) ] || gg_die "broker-down: took ${GG_BOOT_WALL}s"
	gg_log "broker-down: PASS (3 attempts, power-off, no shell despite '$hostile'; qemu wall ${GG_BOOT_WALL%???????}s)"
}

policy_reject() {
	gg_disk "$GG_WORK/disk.img" "$GG_WORK/disk.key"
	# The policy pins another launch (another command line) than the one the host boots.
	gg_accept_launch "$GG_WORK/reject.toml" other "$GG_WORK/initrd.img" "$hostile gg.other"
	gg_broker_data "$GG_WORK/broker" "$GG_WORK/disk.key" "$GG_WORK/reject.toml"
	gg_broker_start "$GG_WORK/broker" "$GG_WORK/broker-reject.log"
	local log=$GG_WORK/serial-policy-reject.log
	gg_boot "$GG_WORK/disk.img" "$GG_WORK/initrd.img" "$log" "$hostile"
	gg_broker_stop
	gg_expect_poweroff_without_shell "$log" policy-reject
	[ "$(gg_releases "$GG_WORK/broker-reject.log")" = 0 ] || gg_die "policy-reject: the broker released a key"
	grep -q '"decision":"refusal"' "$GG_WORK/broker-reject.log" || gg_die "policy-reject: no refusal in the broker audit"
	gg_expect_no_key "$GG_WORK/disk.key" "$log" "$GG_WORK/broker-reject.log"
	gg_log "policy-reject: PASS ($(grep -c 'guestguard: attempt' "$log") refused attempts, power-off; first: $(grep -m1 'guestguard: attempt' "$log" | tr -d '\r' | cut -c1-160))"
}

cipher_null() {
	gg_disk "$GG_WORK/null.img" "$GG_WORK/disk.key" cipher_null-ecb
	gg_accept_launch "$GG_WORK/accept.toml" cipher-null "$GG_WORK/initrd.img" ""
	gg_broker_data "$GG_WORK/broker" "$GG_WORK/disk.key" "$GG_WORK/accept.toml"
	gg_broker_start "$GG_WORK/broker" "$GG_WORK/broker-null.log"
	local log=$GG_WORK/serial-cipher-null.log
	gg_boot "$GG_WORK/null.img" "$GG_WORK/initrd.img" "$log"
	gg_broker_stop
	gg_expect_poweroff_without_shell "$log" cipher-null
	gg_expect "$log" "header refused" cipher-null
	gg_expect "$log" "not retrying" cipher-null
	[ "$(gg_releases "$GG_WORK/broker-null.log")" = 0 ] || gg_die "cipher-null: a key was released for a refused header"
	gg_log "cipher-null: PASS (refused before any key request: $(grep -m1 'header refused' "$log" | tr -d '\r' | cut -c1-160))"
}

wrong_key() {
	gg_disk "$GG_WORK/disk.img" "$GG_WORK/disk.key"
	gg_accept_launch "$GG_WORK/accept.toml" wrong-key "$GG_WORK/initrd.img" ""
	gg_broker_data "$GG_WORK/broker" "$GG_WORK/wrong.key" "$GG_WORK/accept.toml"
	gg_broker_start "$GG_WORK/broker" "$GG_WORK/broker-wrong.log"
	local log=$GG_WORK/serial-wrong-key.log
	gg_boot "$GG_WORK/disk.img" "$GG_WORK/initrd.img" "$log"
	gg_broker_stop
	gg_expect_poweroff_without_shell "$log" wrong-key
	gg_expect "$log" "guestguard: attempt 1/3: /dev/vda:" wrong-key
	gg_expect_no_key "$GG_WORK/wrong.key" "$log" "$GG_WORK/broker-wrong.log"
	gg_expect_no_key "$GG_WORK/disk.key" "$log" "$GG_WORK/broker-wrong.log"
	gg_log "wrong-key: PASS (refused: $(grep -m1 'guestguard: attempt' "$log" | tr -d '\r' | cut -c1-160))"
}

vtpm() {
	gg_config tpm
	gg_initramfs "$GG_WORK/initrd-tpm.img" tpm
	gg_disk "$GG_WORK/disk.img" "$GG_WORK/disk.key"
	gg_accept_launch "$GG_WORK/accept.toml" vtpm "$GG_WORK/initrd-tpm.img" ""
	{ cat "$GG_WORK/accept.toml"; printf '\n[tpm]\nquote = "require"\n'; } > "$GG_WORK/accept-tpm.toml"
	gg_broker_data "$GG_WORK/broker" "$GG_WORK/disk.key" "$GG_WORK/accept-tpm.toml"
	gg_broker_start "$GG_WORK/broker" "$GG_WORK/broker-vtpm.log"
	mkdir -p "$GG_WORK/vtpm"
	swtpm socket --tpmstate "dir=$GG_WORK/vtpm" --ctrl "type=unixio,path=$GG_WORK/vtpm/sock" --tpm2 --terminate \
		--log "file=$GG_WORK/vtpm/log,level=1" & swtpm_pid=$!
	for _ in $(seq 50); do [ -S "$GG_WORK/vtpm/sock" ] && break; sleep 0.1; done
	local log=$GG_WORK/serial-vtpm.log
	GG_QEMU_EXTRA="-chardev socket,id=chrtpm,path=$GG_WORK/vtpm/sock -tpmdev emulator,id=tpm0,chardev=chrtpm -device tpm-tis,tpmdev=tpm0" \
		gg_boot "$GG_WORK/disk.img" "$GG_WORK/initrd-tpm.img" "$log"
	gg_broker_stop
	wait "$swtpm_pid" 2>/dev/null || true; swtpm_pid=
	[ "$GG_BOOT_RC" = 0 ] || gg_die "vtpm: qemu exit $GG_BOOT_RC"
	gg_expect "$log" "guestguard: /dev/vda unlocked as /dev/mapper/root" vtpm
	gg_expect "$log" "guestguard: measured the unlock into PCR 15" vtpm
	gg_expect "$log" "GG-ROOT-MARKER $GG_MARKER" vtpm
	[ "$(gg_releases "$GG_WORK/broker-vtpm.log")" = 1 ] || gg_die "vtpm: expected one release"
	grep '"decision":"release"' "$GG_WORK/broker-vtpm.log" | grep -q '"tpm":"quote verified' || gg_die "vtpm: the release does not record a verified quote"
	gg_expect_no_key "$GG_WORK/disk.key" "$log" "$GG_WORK/broker-vtpm.log"
	gg_log "vtpm: PASS (quote required and verified by the broker; $(grep -m1 'measured the unlock' "$log" | tr -d '\r' | cut -c13-120))"
}

rogue_broker() {
	gg_rogue_start "$GG_WORK/rogue.log"
	gg_disk "$GG_WORK/host.img" "$GG_WORK/rogue.key"   # the host's volume: the rogue's key opens it
	local log=$GG_WORK/serial-rogue-broker.log
	gg_boot "$GG_WORK/host.img" "$GG_WORK/initrd.img" "$log" "$hostile"
	gg_broker_stop
	gg_expect_poweroff_without_shell "$log" rogue-broker
	gg_expect "$log" "not the trusted broker" rogue-broker
	if grep -q '"step": "attest"' "$GG_WORK/rogue.log.requests"; then gg_die "rogue-broker: the guest attested to the rogue"; fi
	gg_expect_no_key "$GG_WORK/rogue.key" "$log"
	gg_log "rogue-broker: PASS (pin refused the host's broker before /attest: $(grep -m1 'not the trusted broker' "$log" | tr -d '\r' | cut -c1-160))"
}

# Another VM's disk: enrolled under the same resource with the same key, but another LUKS2 UUID.
gg_foreign_disk() { GG_DISK_UUID=$(cat /proc/sys/kernel/random/uuid) gg_disk "$1" "$GG_WORK/disk.key"; cryptsetup luksUUID "$1"; }

# A boot that must power off with the broker holding the key: no release, no mapping, no shell.
gg_expect_refused_boot() {
	local log=$1 audit=$2 what=$3
	gg_expect_poweroff_without_shell "$log" "$what"
	gg_refuse "$log" "unlocked as /dev/mapper" "$what"
	[ "$(gg_releases "$audit")" = 0 ] || gg_die "$what: the broker released a key"
	gg_expect_no_key "$GG_WORK/disk.key" "$log" "$audit"
}

foreign_disk() {
	local foreign log=$GG_WORK/serial-foreign-disk.log
	foreign=$(gg_foreign_disk "$GG_WORK/foreign.img")
	gg_accept_launch "$GG_WORK/accept.toml" foreign-disk "$GG_WORK/initrd.img" ""
	gg_broker_data "$GG_WORK/broker" "$GG_WORK/disk.key" "$GG_WORK/accept.toml"
	gg_broker_start "$GG_WORK/broker" "$GG_WORK/broker-foreign.log"
	gg_boot "$GG_WORK/foreign.img" "$GG_WORK/initrd.img" "$log"
	gg_broker_stop
	gg_expect_refused_boot "$log" "$GG_WORK/broker-foreign.log" foreign-disk
	gg_expect "$log" "/dev/vda: refusing the volume with LUKS2 UUID $foreign: not a volume the configuration names" foreign-disk
	gg_expect "$log" "not retrying" foreign-disk
	gg_log "foreign-disk: PASS (no key requested: $(grep -m1 'refusing the volume' "$log" | tr -d '\r' | cut -c1-160))"
}

foreign_beside() {
	local foreign log=$GG_WORK/serial-foreign-beside.log
	gg_disk "$GG_WORK/disk.img" "$GG_WORK/disk.key"
	foreign=$(gg_foreign_disk "$GG_WORK/foreign.img")
	gg_accept_launch "$GG_WORK/accept.toml" foreign-beside "$GG_WORK/initrd.img" "root=/dev/vdb"
	gg_broker_data "$GG_WORK/broker" "$GG_WORK/disk.key" "$GG_WORK/accept.toml"
	gg_broker_start "$GG_WORK/broker" "$GG_WORK/broker-foreign-beside.log"
	GG_QEMU_EXTRA="-drive file=$GG_WORK/foreign.img,if=virtio,format=raw" gg_boot "$GG_WORK/disk.img" "$GG_WORK/initrd.img" "$log" "root=/dev/vdb"
	gg_broker_stop
	gg_expect_refused_boot "$log" "$GG_WORK/broker-foreign-beside.log" foreign-beside
	gg_expect "$log" "/dev/vdb: refusing the volume with LUKS2 UUID $foreign" foreign-beside
	gg_log "foreign-beside: PASS (ours left closed next to the foreign disk: $(grep -m1 'refusing the volume' "$log" | tr -d '\r' | cut -c1-160))"
}

allow_discards() {
	local log=$GG_WORK/serial-allow-discards.log
	gg_disk "$GG_WORK/flags.img" "$GG_WORK/disk.key"
	python3 "$GG_REPO/tests/vm/luks2-set-config-flags.py" "$GG_WORK/flags.img" allow-discards || gg_die "edit config.flags"
	cryptsetup luksDump "$GG_WORK/flags.img" | grep -q 'allow-discards' || gg_die "allow-discards: the edited header does not carry the flag"
	gg_accept_launch "$GG_WORK/accept.toml" allow-discards "$GG_WORK/initrd.img" ""
	gg_broker_data "$GG_WORK/broker" "$GG_WORK/disk.key" "$GG_WORK/accept.toml"
	gg_broker_start "$GG_WORK/broker" "$GG_WORK/broker-flags.log"
	gg_boot "$GG_WORK/flags.img" "$GG_WORK/initrd.img" "$log"
	gg_broker_stop
	gg_expect_refused_boot "$log" "$GG_WORK/broker-flags.log" allow-discards
	gg_expect "$log" 'config.flags: persistent activation flags "allow-discards" are not allowed' allow-discards
	gg_expect "$log" "not retrying" allow-discards
	gg_log "allow-discards: PASS (refused before any key request: $(grep -m1 'config.flags' "$log" | tr -d '\r' | cut -c1-160))"
}

boot_nfs() {
	local log=$GG_WORK/serial-boot-nfs.log
	gg_disk "$GG_WORK/disk.img" "$GG_WORK/disk.key"
	gg_accept_launch "$GG_WORK/accept.toml" boot-nfs "$GG_WORK/initrd.img" "boot=nfs nfsroot=10.0.2.2:/srv init=/bin/sh"
	gg_broker_data "$GG_WORK/broker" "$GG_WORK/disk.key" "$GG_WORK/accept.toml"
	gg_broker_start "$GG_WORK/broker" "$GG_WORK/broker-nfs.log"
	gg_boot "$GG_WORK/disk.img" "$GG_WORK/initrd.img" "$log" "boot=nfs nfsroot=10.0.2.2:/srv init=/bin/sh"
	gg_broker_stop
	gg_expect_refused_boot "$log" "$GG_WORK/broker-nfs.log" boot-nfs
	gg_expect "$log" "guestguard: boot=nfs is not allowed" boot-nfs
	gg_refuse "$log" "guestguard: local-top start" boot-nfs
	gg_log "boot-nfs: PASS (power-off before any script ran: $(grep -m1 'boot=nfs is not allowed' "$log" | tr -d '\r' | cut -c1-160))"
}

resume_ignored() {
	local log=$GG_WORK/serial-resume.log discard
	gg_disk "$GG_WORK/disk.img" "$GG_WORK/disk.key"
	gg_accept_launch "$GG_WORK/accept.toml" resume "$GG_WORK/initrd.img" "resume=/dev/vdz resume_offset=8"
	gg_broker_data "$GG_WORK/broker" "$GG_WORK/disk.key" "$GG_WORK/accept.toml"
	gg_broker_start "$GG_WORK/broker" "$GG_WORK/broker-resume.log"
	gg_boot "$GG_WORK/disk.img" "$GG_WORK/initrd.img" "$log" "resume=/dev/vdz resume_offset=8"
	gg_broker_stop
	[ "$GG_BOOT_RC" = 0 ] || gg_die "resume: qemu exit $GG_BOOT_RC"
	gg_expect "$log" "GG-ROOT-MARKER $GG_MARKER" resume
	# Without the override, local-premount/resume waits ~30 s for /dev/vdz, then says so.
	gg_refuse "$log" "suspend/resume device" resume
	gg_refuse "$log" "Gave up waiting" resume
	discard=$(grep -m1 'GG-ROOT-DISCARD' "$log" | tr -d '\r')
	case $discard in *"dm=0 "*) ;; *) gg_die "resume: TRIM passes through the root mapping: $discard" ;; esac
	gg_log "resume: PASS (resume= ignored, root reached; $discard)"
}

# gg_measured_refusal NAME INITRD EXTRA: the broker pins the positive launch; the host boots another (GG_SMP
# may differ too). The simulator measured what QEMU got (= `guestguard measure` of it), the broker refuses it
# on the measurement rule, the guest powers off, no key.
gg_measured_refusal() {
	local name=$1 initrd=$2 extra=$3 log=$GG_WORK/serial-$1.log audit=$GG_WORK/broker-$1.log pinned got
	gg_disk "$GG_WORK/disk.img" "$GG_WORK/disk.key"
	gg_broker_data "$GG_WORK/broker" "$GG_WORK/disk.key" "$GG_WORK/positive.toml"
	gg_broker_start "$GG_WORK/broker" "$audit"
	gg_boot "$GG_WORK/disk.img" "$initrd" "$log" "$extra"
	gg_broker_stop
	gg_expect_refused_boot "$log" "$audit" "$name"
	grep '"decision":"refusal"' "$audit" | grep -q 'FAIL policy measurements: the launch measurement is not in the allow-list' \
		|| gg_die "$name: the broker's audit does not name the measurement refusal"
	# What the host launched, measured by the tenant's tool, is what the broker saw; it is not the pinned value.
	gg_accept_launch "$GG_WORK/$name.toml" "$name" "$initrd" "$extra" "$GG_SMP"
	pinned=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["measurement"])' "$GG_WORK/positive.toml.json")
	got=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["measurement"])' "$GG_WORK/$name.toml.json")
	[ "$got" != "$pinned" ] || gg_die "$name: the changed launch measures like the pinned one"
	grep '"decision":"refusal"' "$audit" | grep -q "\"measurement\":\"$got\"" || gg_die "$name: the refused report's measurement is not guestguard measure's for the launch"
	gg_log "$name: PASS (measurement ${got:0:16}… refused, pinned \"positive\" ${pinned:0:16}…; $(grep -c 'guestguard: attempt' "$log") refused attempts, power-off, no key)"
}

measured_cmdline() { gg_measured_refusal measured-cmdline "$GG_WORK/initrd.img" "$positive_extra init=/bin/sh"; }

measured_initrd() {
	# The host's guestguard-boot: the tenant's binary with one byte appended (it still runs; it is not the one measured).
	mkdir -p "$GG_WORK/bin-modified"
	{ cat "$GG_WORK/bin/guestguard-boot"; printf '\0'; } > "$GG_WORK/bin-modified/guestguard-boot"; chmod 755 "$GG_WORK/bin-modified/guestguard-boot"
	GG_INITRAMFS_BIN=$GG_WORK/bin-modified/guestguard-boot gg_initramfs "$GG_WORK/initrd-modified.img" modified
	cmp -s "$GG_WORK/initrd.img" "$GG_WORK/initrd-modified.img" && gg_die "measured-initrd: the modified initrd is the original"
	gg_measured_refusal measured-initrd "$GG_WORK/initrd-modified.img" "$positive_extra"
}

measured_vcpus() { GG_SMP=3 gg_measured_refusal measured-vcpus "$GG_WORK/initrd.img" "$positive_extra"; }

# Root and a data volume in one boot, one attestation (issue 17): the data volume's key is its own resource.
data_volume() {
	local log=$GG_WORK/serial-data-volume.log audit=$GG_WORK/broker-data-volume.log data_uuid data_resource=default/disk/data
	data_uuid=$(cat /proc/sys/kernel/random/uuid)
	# The configuration names both volumes, each with its device-mapper name; the data volume its resource.
	sed '/^name = "root"$/d' "$GG_WORK/etc/guestguard.toml" > "$GG_WORK/etc/guestguard-data.toml"
	printf 'name = "root"\n\n[[volume]]\nuuid = "%s"\nname = "data"\nresource = "%s"\n' "$data_uuid" "$data_resource" >> "$GG_WORK/etc/guestguard-data.toml"
	gg_initramfs "$GG_WORK/initrd-data.img" data
	gg_disk "$GG_WORK/disk.img" "$GG_WORK/disk.key"
	head -c 64 /dev/urandom > "$GG_WORK/data.key"
	GG_DISK_UUID=$data_uuid GG_RESOURCE=$data_resource gg_disk "$GG_WORK/data.img" "$GG_WORK/data.key"
	gg_accept_launch "$GG_WORK/accept.toml" data-volume "$GG_WORK/initrd-data.img" ""
	gg_broker_data "$GG_WORK/broker" "$GG_WORK/disk.key" "$GG_WORK/accept.toml"
	"$GG_WORK/bin/guestguard-broker" key import "$data_resource" "$GG_WORK/data.key" --data "$GG_WORK/broker" >/dev/null || gg_die "broker key import (data)"
	"$GG_WORK/bin/guestguard-broker" policy set "$data_resource" "$GG_WORK/accept.toml" --data "$GG_WORK/broker" >/dev/null || gg_die "broker policy set (data)"
	gg_broker_start "$GG_WORK/broker" "$audit"
	GG_QEMU_EXTRA="-drive file=$GG_WORK/data.img,if=virtio,format=raw" gg_boot "$GG_WORK/disk.img" "$GG_WORK/initrd-data.img" "$log"
	gg_broker_stop
	[ "$GG_BOOT_RC" = 0 ] || gg_die "data-volume: qemu exit $GG_BOOT_RC"
	gg_expect "$log" "guestguard: /dev/vda unlocked as /dev/mapper/root" data-volume
	gg_expect "$log" "guestguard: /dev/vdb unlocked as /dev/mapper/data" data-volume
	gg_expect "$log" "GG-ROOT-MARKER $GG_MARKER" data-volume
	gg_refuse "$log" "attempt 1/" data-volume
	local attests releases sessions
	attests=$(grep -c '"decision":"attested"' "$audit" || true)
	releases=$(gg_releases "$audit")
	sessions=$(grep '"decision":"release"' "$audit" | grep -o '"session":"[^"]*"' | sort -u | wc -l)
	[ "$attests" = 1 ] || gg_die "data-volume: $attests attestations in the broker's audit, expected 1"
	[ "$releases" = 2 ] || gg_die "data-volume: $releases releases, expected 2 (root and data)"
	[ "$sessions" = 1 ] || gg_die "data-volume: the releases span $sessions sessions, expected the one attested"
	grep '"decision":"release"' "$audit" | grep -q "\"resource\":\"$data_resource\"" || gg_die "data-volume: no release of $data_resource"
	gg_expect_no_key "$GG_WORK/disk.key" "$log" "$audit"
	gg_expect_no_key "$GG_WORK/data.key" "$log" "$audit"
	gg_log "data-volume: PASS (root and data unlocked in one boot; 1 attestation, 2 releases in its session; qemu wall ${GG_BOOT_WALL%???????}s)"
}

# The dracut guest's initramfs, once for both dracut boots.
dracut_initrd() {
	[ -z "${GG_DRACUT_INITRD:-}" ] || return 0
	[ -n "$(gg_guest_deb)" ] || gg_die "dracut boots need guestguard_*.deb (make deb, or GG_DEB=DIR)"
	gg_dracut_guest
	GG_DRACUT_INITRD=$GG_WORK/initrd-dracut.img
	local t0 item
	t0=$(date +%s.%N)
	gg_dracut_initramfs "$GG_DRACUT_INITRD"
	gg_log "dracut initramfs: $(stat -c %s "$GG_DRACUT_INITRD") bytes zstd, built in $(echo "$(date +%s.%N) - $t0" | bc | cut -c1-5) s"
	for item in usr/bin/guestguard-boot etc/guestguard/guestguard.toml guestguard-unlock.service emergency.service.d/90-guestguard.conf \
		systemd-networkd virtio_console.ko guestguard-network.service etc/systemd/network/00-guestguard.network; do
		grep -q "$item" "$GG_WORK/dracut.list" || gg_die "dracut: $item is not in the initramfs"
	done
	if grep -qE 'usr/bin/guestguard$' "$GG_WORK/dracut.list"; then gg_die "dracut: the multi-call guestguard is in the initramfs"; fi
	# guestguard-boot reads no MSR: installkernel() adds no msr module (as the initramfs-tools hook).
	if grep -qE '/msr\.ko' "$GG_WORK/dracut.list"; then gg_die "dracut: the msr module is in the initramfs"; fi
}

dracut_positive() {
	local log=$GG_WORK/serial-dracut-positive.log audit=$GG_WORK/broker-dracut-positive.log
	dracut_initrd
	gg_disk "$GG_WORK/disk.img" "$GG_WORK/disk.key"
	gg_accept_launch "$GG_WORK/accept.toml" dracut "$GG_DRACUT_INITRD" ""
	gg_broker_data "$GG_WORK/broker" "$GG_WORK/disk.key" "$GG_WORK/accept.toml"
	gg_broker_start "$GG_WORK/broker" "$audit"
	gg_boot "$GG_WORK/disk.img" "$GG_DRACUT_INITRD" "$log"
	gg_broker_stop
	[ "$GG_BOOT_RC" = 0 ] || gg_die "dracut-positive: qemu exit $GG_BOOT_RC"
	gg_expect "$log" "guestguard: /dev/vda unlocked as /dev/mapper/root" dracut-positive
	gg_expect "$log" "GG-ROOT-INIT" dracut-positive
	gg_expect "$log" "GG-ROOT-MARKER $GG_MARKER" dracut-positive
	# No [network]: DHCP by systemd-networkd, the lease's resolver (QEMU's 10.0.2.3) taken as an address.
	gg_expect "$log" "guestguard: network: eth0 up (ipv4 dhcp, ipv6 slaac, dns 10.0.2.3)" dracut-positive
	[ "$(gg_releases "$audit")" = 1 ] || gg_die "dracut-positive: expected one release"
	gg_expect_no_key "$GG_WORK/disk.key" "$log" "$audit"
	gg_log "dracut-positive: PASS (systemd initrd built by dracut from the package; root /sbin/init at $(gg_uptime_of "$log" "GG-ROOT-INIT")s guest uptime; qemu wall ${GG_BOOT_WALL%???????}s)"
}

# No broker: (1) with rd.shell, the unlock's bounded retries, then its power-off, no dracut shell; (2) with
# rd.shell rd.emergency, systemd boots straight into emergency.target: the module's drop-in powers off there.
dracut_broker_down() {
	local log=$GG_WORK/serial-dracut-broker-down.log log2=$GG_WORK/serial-dracut-emergency.log wall1
	dracut_initrd
	gg_disk "$GG_WORK/disk.img" "$GG_WORK/disk.key"
	gg_boot "$GG_WORK/disk.img" "$GG_DRACUT_INITRD" "$log" "rd.shell"
	[ "$GG_BOOT_RC" = 0 ] || gg_die "dracut-broker-down: qemu exit $GG_BOOT_RC (124 = timeout)"
	gg_expect "$log" "reboot: Power down" dracut-broker-down
	# The unit's output reaches the console through journald, which the power-off can overtake: the last
	# lines (attempt 3/3, "powering off") may be missing; attempt 2/3 was printed a backoff earlier.
	gg_expect "$log" "guestguard: attempt 2/3: /dev/vda:" dracut-broker-down
	gg_refuse "$log" "unlocked as /dev/mapper" dracut-broker-down
	wall1=${GG_BOOT_WALL%???????}
	gg_boot "$GG_WORK/disk.img" "$GG_DRACUT_INITRD" "$log2" "rd.shell rd.emergency"
	[ "$GG_BOOT_RC" = 0 ] || gg_die "dracut-broker-down: qemu exit $GG_BOOT_RC with rd.emergency (124 = timeout)"
	gg_expect "$log2" "reboot: Power down" dracut-broker-down
	local l
	for l in "$log" "$log2"; do
		gg_refuse "$l" "GG-ROOT-INIT" dracut-broker-down
		gg_refuse "$l" "Kernel panic" dracut-broker-down
		gg_refuse "$l" "You are in emergency mode" dracut-broker-down
		gg_refuse "$l" "Give root password" dracut-broker-down
		gg_refuse "$l" "Entering emergency mode" dracut-broker-down
		gg_refuse "$l" "sh-5" dracut-broker-down
		gg_refuse "$l" "dracut:/#" dracut-broker-down
	done
	gg_log "dracut-broker-down: PASS (rd.shell: bounded retries, power-off, no shell, qemu wall ${wall1}s; rd.shell rd.emergency: emergency.target powered off, no shell, qemu wall ${GG_BOOT_WALL%???????}s)"
}

for scenario in "${scenarios[@]}"; do
	gg_log "== boot: $scenario"
	case $scenario in
	positive) positive ;;
	broker-down) broker_down ;;
	policy-reject) policy_reject ;;
	cipher-null) cipher_null ;;
	wrong-key) wrong_key ;;
	vtpm) vtpm ;;
	rogue-broker) rogue_broker ;;
	foreign-disk) foreign_disk ;;
	foreign-beside) foreign_beside ;;
	allow-discards) allow_discards ;;
	boot-nfs) boot_nfs ;;
	resume) resume_ignored ;;
	measured-cmdline) measured_cmdline ;;
	measured-initrd) measured_initrd ;;
	measured-vcpus) measured_vcpus ;;
	by-name) net_by_name ;;
	by-name-rogue) net_by_name_rogue ;;
	ipv6-only) net_ipv6_only ;;
	ipv6-static) net_ipv6_static ;;
	ipv4-static) net_ipv4_static ;;
	net-down) net_down ;;
	hostile-lease) net_hostile_lease ;;
	data-volume) data_volume ;;
	dracut-positive) dracut_positive ;;
	dracut-broker-down) dracut_broker_down ;;
	dracut-by-name) net_dracut_by_name ;;
	dracut-ipv6-only) net_dracut_ipv6_only ;;
	*) gg_die "unknown scenario $scenario" ;;
	esac
	passed+=("$scenario")
done
echo "vm-test: ${#passed[@]} boots passed (${passed[*]}) in $(( $(date +%s) - suite_start )) s"
