# shellcheck shell=bash
# Helpers for tests/vm/run.sh, scripts/demo.sh and bench/unlock-vs-clevis.sh (sourced, bash).
# Everything lives under $GG_WORK; nothing outside it is changed.

GG_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
GG_KVER=${GG_KVER:-$(find /lib/modules -mindepth 1 -maxdepth 1 -name '*-amd64' -printf '%f\n' | sort -V | tail -1)}
GG_KERNEL=/boot/vmlinuz-$GG_KVER
GG_RESOURCE=default/disk/root
# The LUKS2 UUID of the test's root disk: gg_disk formats with it, gg_config names it in [[volume]].
GG_VOLUME_UUID=${GG_VOLUME_UUID:-$(cat /proc/sys/kernel/random/uuid)}

gg_log() { printf '%s\n' "$*" >&2; }
gg_die() { gg_log "FAIL: $*"; exit 1; }

gg_freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Release binaries (static Swift runtime), built unless GG_BIN already holds them; stripped copies
# go to $GG_WORK/bin (the initramfs carries the stripped guestguard-boot, the root file system guestguard).
gg_build() {
	local bin=${GG_BIN:-$GG_REPO/.build/release}
	if [ -z "${GG_BIN:-}" ] || [ ! -x "$bin/guestguard" ] || [ ! -x "$bin/guestguard-boot" ]; then
		(cd "$GG_REPO" && swift build -c release --static-swift-stdlib --product guestguard >&2 \
			&& swift build -c release --static-swift-stdlib --product guestguard-boot >&2 \
			&& swift build -c release --static-swift-stdlib --product guestguard-broker >&2) || gg_die "release build"
	fi
	mkdir -p "$GG_WORK/bin"
	strip -o "$GG_WORK/bin/guestguard" "$bin/guestguard"
	strip -o "$GG_WORK/bin/guestguard-boot" "$bin/guestguard-boot"
	cp "$bin/guestguard-broker" "$GG_WORK/bin/guestguard-broker"
}

# A copy of $1 and its ldd closure under the tree $2 (libraries mode 755).
gg_copy_closure() {
	local exe=$1 tree=$2 dest=${3:-$1} lib
	install -D -m755 "$exe" "$tree$dest"
	for lib in $(ldd "$exe" 2>/dev/null | grep -oE '/[^ ]+\.so[^ ]*'); do
		[ -e "$tree$lib" ] || install -D -m755 "$(readlink -f "$lib")" "$tree$lib"
	done
}

# gg_tls_identity NAME: a self-signed P-256 certificate $GG_WORK/tls/NAME.pem (key NAME.key) for the
# guest's view of the host (10.0.2.2) and loopback; prints the SHA-256 of its SubjectPublicKeyInfo (the pin).
gg_tls_identity() {
	local dir=$GG_WORK/tls
	mkdir -p "$dir"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$dir/$1.key" -out "$dir/$1.pem" -days 2 \
		-subj "/CN=$1" -addext "subjectAltName=IP:10.0.2.2,IP:127.0.0.1" 2>/dev/null || gg_die "openssl: certificate $1"
	openssl x509 -in "$dir/$1.pem" -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum | cut -c1-64
}

# The simulated secure processor, the disk key, and the broker's TLS certificate with its pin
# ($GG_BROKER_PIN, which the boot configuration carries: every boot talks https to a pinned broker).
gg_tenant() {
	"$GG_WORK/bin/guestguard" simulator init "$GG_WORK/sim" >/dev/null
	head -c 64 /dev/urandom > "$GG_WORK/disk.key"
	head -c 64 /dev/urandom > "$GG_WORK/wrong.key"
	GG_BROKER_PIN=$(gg_tls_identity broker); export GG_BROKER_PIN
}

# gg_broker_data DIR KEYFILE POLICYFILE
gg_broker_data() {
	rm -rf "$1"
	"$GG_WORK/bin/guestguard-broker" key import "$GG_RESOURCE" "$2" --data "$1" >/dev/null || gg_die "broker key import"
	"$GG_WORK/bin/guestguard-broker" policy set "$GG_RESOURCE" "$3" --data "$1" >/dev/null || gg_die "broker policy set"
}

# gg_broker_start DIR LOG: serve https with the tenant's certificate on 127.0.0.1:$GG_PORT (the guest's
# 10.0.2.2:$GG_PORT); with GG_PLAIN_HTTP=1, plain http (only for a test about plain http). GG_BROKER_LISTEN and
# GG_BROKER_CERT (a name under $GG_WORK/tls) change the address and the certificate.
gg_broker_start() {
	local tls=(--tls-cert "$GG_WORK/tls/${GG_BROKER_CERT:-broker}.pem" --tls-key "$GG_WORK/tls/${GG_BROKER_CERT:-broker}.key") scheme=https
	[ "${GG_PLAIN_HTTP:-}" = 1 ] && { tls=(); scheme=http; }
	"$GG_WORK/bin/guestguard-broker" serve --listen "${GG_BROKER_LISTEN:-127.0.0.1:$GG_PORT}" --data "$1" "${tls[@]}" > "$2" 2>&1 &
	GG_BROKER_PID=$!
	local _
	for _ in $(seq 100); do grep -q "listening on $scheme://" "$2" && return 0; sleep 0.1; done
	gg_die "broker did not start: $(cat "$2")"
}

# gg_rogue_start LOG: the hostile host's own broker (tests/peers/rogue_broker.py: its own certificate;
# it seals a key of its choice to the tee-pubkey it reads from /attest) at the tenant's broker address
# 127.0.0.1:$GG_PORT, as if the host had redirected the network. Its key: $GG_WORK/rogue.key.
gg_rogue_start() {
	gg_tls_identity rogue > /dev/null
	head -c 64 /dev/urandom > "$GG_WORK/rogue.key"
	: > "$1.requests"
	python3 "$GG_REPO/tests/peers/rogue_broker.py" --rogue-key "$GG_WORK/rogue.key" --log "$1.requests" --port "$GG_PORT" \
		--cert "$GG_WORK/tls/rogue.pem" --key "$GG_WORK/tls/rogue.key" > "$1" 2>&1 &
	GG_BROKER_PID=$!
	local _
	for _ in $(seq 100); do grep -q 'listening on https://' "$1" && return 0; sleep 0.1; done
	gg_die "rogue broker did not start: $(cat "$1")"
}

gg_broker_stop() {
	[ -n "${GG_BROKER_PID:-}" ] || return 0
	kill "$GG_BROKER_PID" 2>/dev/null || true
	wait "$GG_BROKER_PID" 2>/dev/null || true
	GG_BROKER_PID=
}

# gg_config [tpm]: the boot configuration baked into the initramfs (etc/guestguard.toml, or with
# "tpm" etc/guestguard-tpm.toml, which adds the vTPM: a quote in the evidence, the unlock measured into PCR 15).
gg_config() {
	local out=$GG_WORK/etc/guestguard${1:+-$1}.toml trust plain=
	mkdir -p "$GG_WORK/etc"
	trust="brokers = [\"https://10.0.2.2:$GG_PORT\"]
broker-pin = \"spki-sha256:$GG_BROKER_PIN\""
	if [ "${GG_PLAIN_HTTP:-}" = 1 ]; then   # only for a test about plain http: warned on the console at every boot
		trust="brokers = [\"http://10.0.2.2:$GG_PORT\"]"; plain="allow-plain-http = true"
	fi
	cat > "$out" <<TOML
# guestguard boot configuration for the VM test: https to the host's loopback broker, pinned to its key.
$trust
resource = "$GG_RESOURCE"
name = "root"

[retries]
attempts = ${GG_ATTEMPTS:-3}
initial-backoff-ms = 500
max-backoff-ms = 2000

# NOT FOR PRODUCTION: the simulated secure processor (there is no SEV hardware under QEMU TCG), served on
# the host beside QEMU (gg_boot) over a virtio-serial port: its keys never enter the guest image.
[test-only]
simulator-port = "$GG_SIM_PORT"
$plain
TOML
	if [ "${1:-}" = tpm ]; then printf '\n[tpm]\ntcti = "device:/dev/tpmrm0"\npcr = 15\n' >> "$out"; fi
	printf '\n# The only volume boot may open.\n[[volume]]\nuuid = "%s"\n' "$GG_VOLUME_UUID" >> "$out"
}

# The root filesystem: busybox, /sbin/init printing markers, guestguard (for `status`), a marker file.
gg_rootfs() {
	local tree=$GG_WORK/rootfs
	rm -rf "$tree"; mkdir -p "$tree"/{bin,sbin,etc,proc,sys,dev,run,tmp,usr/bin,root}
	cp /bin/busybox "$tree/bin/busybox"
	for applet in sh cat grep head cut mount poweroff sync ls sleep wget; do ln -s busybox "$tree/bin/$applet"; done
	install -m755 "$GG_REPO/tests/vm/root-init.sh" "$tree/sbin/init"
	# systemd's switch-root (the dracut boots) wants an OS tree: /etc/os-release.
	printf 'ID=guestguard-test\nNAME="guestguard VM test root"\n' > "$tree/etc/os-release"
	# The packaged guestguard when the suite has a guest root (tests/vm/guest-root.sh), else the build's.
	local guestguard=$GG_WORK/bin/guestguard
	[ -z "${GG_DEB_ROOT:-}" ] || guestguard=$GG_DEB_ROOT/usr/bin/guestguard
	gg_copy_closure "$guestguard" "$tree" /usr/bin/guestguard
	echo "$GG_MARKER" > "$tree/marker.txt"
	gg_expect_no_sim_keys "$tree"
}

# gg_disk OUT KEYFILE [cipher]: a LUKS2 image made in userspace (no device-mapper), opened by KEYFILE
# in keyslot 0 (PBKDF2, 1000 iterations: the key is 512 random bits), with a guestguard token;
# with a cipher, segment 0 is rewritten to it afterwards (a hostile header).
gg_disk() {
	local out=$1 key=$2 cipher=${3:-}
	rm -f "$out"
	truncate -s 192M "$out"
	mkfs.ext4 -q -F -L ggroot -d "$GG_WORK/rootfs" "$out" 160M || gg_die "mkfs.ext4"
	cryptsetup reencrypt --encrypt --type luks2 --reduce-device-size 32M --pbkdf pbkdf2 --pbkdf-force-iterations 1000 \
		--uuid "${GG_DISK_UUID:-$GG_VOLUME_UUID}" --batch-mode --key-file "$key" "$out" >/dev/null || gg_die "cryptsetup reencrypt"
	# A hostile header (cryptsetup refuses to write cipher_null without device-mapper): edit a real one.
	if [ -n "$cipher" ]; then
		python3 "$GG_REPO/tests/vm/luks2-set-segment-cipher.py" "$out" "$cipher" || gg_die "edit segment cipher"
		case $(cryptsetup luksDump "$out") in *"cipher: $cipher"*) ;; *) gg_die "the edited header does not load" ;; esac
	fi
	# The token names the keyslot and the resource only: brokers and their pin come from the configuration.
	printf '{"type":"guestguard","keyslots":["0"],"guestguard_version":1,"resource":"%s"}' \
		"$GG_RESOURCE" | cryptsetup token import --token-id 0 "$out" || gg_die "cryptsetup token import"
}

# gg_initramfs_settings DIR: initramfs.conf and modules for the VM guest in DIR (an initramfs-tools
# configuration directory: a private one, or a guest root's /etc/initramfs-tools).
gg_initramfs_settings() {
	mkdir -p "$1"
	cat > "$1/initramfs.conf" <<CONF
MODULES=list
BUSYBOX=y
COMPRESS=zstd
DEVICE=
NFSROOT=auto
RUNSIZE=10%
FSTYPE=ext4
CONF
	# virtio_console: the port of the simulated secure processor on the host (gg_boot).
	printf '%s\n' virtio_pci virtio_blk virtio_net virtio_rng virtio_console ext4 > "$1/modules"
}

# gg_initramfs OUT [without|tpm|modified]: the guest's initramfs. With a guest root ($GG_DEB_ROOT,
# tests/vm/guest-root.sh) the packaged guestguard and the root's update-initramfs build it; otherwise
# mkinitramfs with a private configuration directory (nothing under /etc is read or changed) and the
# source tree's hook + local-top script. "without" leaves guestguard out (baseline); a variant with its
# own configuration (etc/guestguard-tpm.toml, etc/guestguard-data.toml) bakes that one in; GG_INITRAMFS_CONFIG another one.
gg_initramfs() {
	local out=$1 conf=$GG_WORK/initramfs-conf${2:+-$2} config=${GG_INITRAMFS_CONFIG:-$GG_WORK/etc/guestguard.toml}
	if [ -n "${GG_DEB_ROOT:-}" ]; then
		gg_initramfs_deb "$@"
	else
		[ -e "$GG_WORK/etc/guestguard-${2:-}.toml" ] && config=$GG_WORK/etc/guestguard-$2.toml
		rm -rf "$conf"; mkdir -p "$conf/conf.d" "$conf/hooks" "$conf/scripts/local-top"
		gg_initramfs_settings "$conf"
		if [ "${2:-}" != without ]; then
			install -m755 "$GG_REPO/initramfs/hooks/guestguard" "$conf/hooks/guestguard"
			install -m755 "$GG_REPO/initramfs/scripts/local-top/guestguard" "$conf/scripts/local-top/guestguard"
		fi
		GUESTGUARD_BIN=${GG_INITRAMFS_BIN:-$GG_WORK/bin/guestguard-boot} GUESTGUARD_CONFIG=$config \
			mkinitramfs -d "$conf" -o "$out" "$GG_KVER" >"$GG_WORK/mkinitramfs${2:+-$2}.log" 2>&1 \
			|| gg_die "mkinitramfs: $(tail -5 "$GG_WORK/mkinitramfs${2:+-$2}.log")"
	fi
	local unpacked
	unpacked=$GG_WORK/unpacked-$(basename "$out")
	rm -rf "$unpacked"; unmkinitramfs "$out" "$unpacked" || gg_die "unmkinitramfs $out"
	gg_expect_no_sim_keys "$unpacked"
	rm -rf "$unpacked"
}

# gg_expect_no_sim_keys DIR: no private key of the simulated secure processor in DIR (an unpacked
# initramfs, the root tree): no PEM private key at all, and neither the VCEK key's PEM body, its DER
# nor its raw 48-byte scalar (the ARK and ASK keys are never written to disk by `simulator init`).
gg_expect_no_sim_keys() {
	python3 - "$GG_WORK/sim/vcek-key.pem" "$1" <<'PY' || gg_die "simulated private key material in $1"
import os, sys
from cryptography.hazmat.primitives import serialization
pem = open(sys.argv[1], "rb").read()
key = serialization.load_pem_private_key(pem, None)
body = [line for line in pem.splitlines() if line and not line.startswith(b"-----")]
forms = {"PEM private key header": b"PRIVATE KEY-----",
         "VCEK key DER": key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
         "VCEK private scalar": key.private_numbers().private_value.to_bytes(48, "big")}
forms.update(("VCEK key PEM line %d" % i, line) for i, line in enumerate(body))
files = 0
for root, _, names in os.walk(sys.argv[2]):
    for name in names:
        path = os.path.join(root, name)
        if os.path.islink(path) or not os.path.isfile(path): continue
        data = open(path, "rb").read(); files += 1
        for what, needle in forms.items():
            if needle in data: sys.exit("%s: %s" % (path, what))
assert files > 10, "nothing unpacked in %s" % sys.argv[2]
print("no simulated private key in %d files of %s" % (files, sys.argv[2]), file=sys.stderr)
PY
}

# The simulated secure processor's virtio-serial port in the guest, and what it measures: the launch
# of the exact kernel, initrd, command line and vCPU count QEMU gets, as `guestguard measure` does for an
# SNP guest launched with kernel-hashes=on on the AmdSev OVMF (GG_MEASURE_OVMF: the last 4 KiB of that
# build, the fixture sev-snp-measure's tests use). Under TCG QEMU really runs SeaBIOS and loads the kernel
# itself: the firmware measured is not the one that runs; the kernel, initrd, command line and vCPUs are.
GG_SIM_PORT=/dev/virtio-ports/org.guestguard.snp-sim
GG_MEASURE_OVMF=${GG_MEASURE_OVMF:-$GG_REPO/Tests/SNPMeasureTests/Fixtures/ovmf_AmdSev_suffix.bin}
GG_VCPU_TYPE=EPYC-v4
GG_SMP=${GG_SMP:-2}

# gg_launch INITRD EXTRA [VCPUS]: the `guestguard measure` options of a gg_boot launch.
gg_launch() {
	printf '%s\0' --mode snp --vcpus "${3:-$GG_SMP}" --vcpu-type "$GG_VCPU_TYPE" --ovmf "$GG_MEASURE_OVMF" \
		--kernel "$GG_KERNEL" --initrd "$1" --append "$GG_CMDLINE_BASE $2"
}

# gg_accept_launch OUT LABEL INITRD EXTRA [VCPUS]: the tenant's release policy (the simulator's trust and
# rules) pinning the `guestguard measure` result of exactly that launch, labelled; its JSON in OUT.json.
gg_accept_launch() {
	local out=$1 label=$2 value launch
	mapfile -d '' launch < <(gg_launch "$3" "$4" "${5:-}")
	"$GG_WORK/bin/guestguard" measure "${launch[@]}" --json > "$out.json" || gg_die "guestguard measure ($label)"
	value=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["measurement"])' "$out.json")
	sed "s/^measurements = .*/measurements = [{ value = \"$value\", label = \"$label\" }]/" "$GG_WORK/sim/policy.toml" > "$out"
	grep -q "$value" "$out" || gg_die "could not pin $label in $out"
}

# gg_sim_start LOG INITRD EXTRA VCPUS: `guestguard simulator serve` for that launch on $GG_WORK/sim.sock.
gg_sim_start() {
	local log=$1 launch; shift
	mapfile -d '' launch < <(gg_launch "$@")
	"$GG_WORK/bin/guestguard" simulator serve "$GG_WORK/sim" --socket "$GG_WORK/sim.sock" "${launch[@]}" > "$log" 2>&1 &
	GG_SIM_PID=$!
	local _
	for _ in $(seq 100); do grep -qs 'simulator listening on' "$log" && return 0; sleep 0.1; done
	gg_die "simulator did not start: $(cat "$log")"
}

gg_sim_stop() {
	[ -n "${GG_SIM_PID:-}" ] || return 0
	kill "$GG_SIM_PID" 2>/dev/null || true
	wait "$GG_SIM_PID" 2>/dev/null || true
	GG_SIM_PID=
}

GG_CMDLINE_BASE="console=ttyS0 loglevel=4 panic=-1 net.ifnames=0 root=/dev/mapper/root rootfstype=ext4 ro fsck.mode=skip ip=10.0.2.15::10.0.2.2:255.255.255.0::eth0:off"

# gg_boot DISK INITRD LOG [extra kernel parameters]: QEMU TCG with GG_SMP vCPUs; returns when the guest
# powers off. The simulated secure processor runs on the host for the boot, measuring exactly the kernel,
# initrd, command line and vCPU count given to QEMU (its log: LOG.sim). Serial bytes are stamped on
# arrival (host seconds since qemu start) into LOG.ts.
gg_boot() {
	local disk=$1 initrd=$2 log=$3 extra=${4:-} start rc qemu_extra=()
	read -r -a qemu_extra <<< "${GG_QEMU_EXTRA:-}"
	gg_sim_start "$log.sim" "$initrd" "$extra" "$GG_SMP"
	start=$(date +%s.%N)
	set +e
	timeout "${GG_BOOT_TIMEOUT:-240}" qemu-system-x86_64 -accel tcg -cpu max -m 1024 -smp "$GG_SMP" -nographic -no-reboot \
		-kernel "$GG_KERNEL" -initrd "$initrd" -append "$GG_CMDLINE_BASE $extra" \
		-device virtio-serial-pci -chardev "socket,id=ggsim,path=$GG_WORK/sim.sock,reconnect=1" \
		-device virtserialport,chardev=ggsim,name=org.guestguard.snp-sim \
		-drive "file=$disk,if=virtio,format=raw" \
		-netdev "user,id=n0${GG_HOSTFWD:+,hostfwd=$GG_HOSTFWD}${GG_NETDEV_EXTRA:+,$GG_NETDEV_EXTRA}" -device virtio-net-pci,netdev=n0,romfile= -device virtio-rng-pci "${qemu_extra[@]}" \
		</dev/null 2>&1 | python3 -u -c '
import sys, time
t0 = time.monotonic()
out = open(sys.argv[1], "w"); ts = open(sys.argv[1] + ".ts", "w")
for line in sys.stdin.buffer:
    text = line.decode("utf-8", "replace")
    out.write(text); out.flush(); ts.write("%.3f %s" % (time.monotonic() - t0, text)); ts.flush()
' "$log"
	rc=${PIPESTATUS[0]}
	set -e
	gg_sim_stop
	export GG_BOOT_WALL; GG_BOOT_WALL=$(echo "$(date +%s.%N) - $start" | bc)
	GG_BOOT_RC=$rc
}

# Assertions on a serial log.
gg_expect() { grep -qF -- "$2" "$1" || gg_die "$3: serial log lacks: $2 (see $1)"; }
gg_refuse() { if grep -qF -- "$2" "$1"; then gg_die "$3: serial log has: $2 (see $1)"; fi; }

# No shell, no root, a clean power-off (not a panic, not the timeout).
gg_expect_poweroff_without_shell() {
	local log=$1 what=$2
	[ "$GG_BOOT_RC" = 0 ] || gg_die "$what: qemu exit $GG_BOOT_RC (124 = timeout)"
	gg_expect "$log" "reboot: Power down" "$what"
	gg_expect "$log" "powering off" "$what"
	gg_refuse "$log" "GG-ROOT-INIT" "$what"
	gg_refuse "$log" "Kernel panic" "$what"
	gg_refuse "$log" "(initramfs)" "$what"
	gg_refuse "$log" "BusyBox v" "$what"
	gg_refuse "$log" "Spawning shell" "$what"
}

# gg_expect_no_key KEYFILE FILE...: neither hex nor base64/base64url (with or without padding) of the key.
gg_expect_no_key() {
	local key=$1; shift
	local hex b64 b64url
	hex=$(od -An -tx1 -v "$key" | tr -d ' \n')
	b64=$(base64 -w0 < "$key")
	b64url=$(printf '%s' "$b64" | tr '+/' '-_' | tr -d '=')
	local f form
	for f in "$@"; do
		for form in "$hex" "${hex^^}" "$b64" "${b64%%=*}" "$b64url" "${hex:0:32}" "${b64:0:24}"; do
			if grep -qiF -- "$form" "$f" 2>/dev/null; then gg_die "key material found in $f"; fi
		done
	done
}

gg_releases() { grep -c '"decision":"release"' "$1" || true; }

# Seconds (guest uptime) of the first line containing $2 in log $1 with "uptime=Ns".
gg_uptime_of() { awk -v m="$2" 'index($0, m) && match($0, /uptime=[0-9.]+/) { print substr($0, RSTART + 7, RLENGTH - 7); exit }' "$1"; }

# gg_tenant_view LOG PORT OUT: the tenant's view of a guest running `guestguard serve` (kernel
# parameter gg.serve), through hostfwd 127.0.0.1:PORT -> guest:8787. Waits for the guest's
# GG-SERVE-STARTED line, then writes OUT/healthz (HTTP status), OUT/posture.json, and
# OUT/verify.txt + OUT/verify.rc from `guestguard verify --posture` (fresh nonce; the tenant policy
# GG_TENANT_POLICY, default accept.toml: the simulator's
# ARK; --accept-posture fail, since a TCG guest has no memory encryption and says so).
gg_tenant_view() {
	local log=$1 port=$2 out=$3 _ code=000
	mkdir -p "$out"
	for _ in $(seq 400); do grep -qs GG-SERVE-STARTED "$log" && break; sleep 0.5; done
	for _ in $(seq 120); do
		code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$port/healthz" || true)
		case $code in 200|503) break ;; esac
		sleep 0.5
	done
	echo "$code" > "$out/healthz"
	curl -s --max-time 10 "http://127.0.0.1:$port/v1/posture" > "$out/posture.json" || true
	set +e
	"$GG_WORK/bin/guestguard" verify --posture "http://127.0.0.1:$port" --policy "${GG_TENANT_POLICY:-$GG_WORK/accept.toml}" \
		--accept-posture fail --timeout 60 > "$out/verify.txt" 2>&1
	echo $? > "$out/verify.rc"
	set -e
	# Done: quit QEMU through its monitor (GG_MONITOR), which exits 0.
	if [ -n "${GG_MONITOR:-}" ]; then
		python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); time.sleep(0.3); s.sendall(b"quit\n"); time.sleep(0.5)' "$GG_MONITOR" || true
	fi
}
