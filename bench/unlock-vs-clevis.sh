#!/usr/bin/env bash
# The same VM and the same LUKS2 disk, unlocked by clevis + tang and by guestguard, side by side in
# each boot (order alternating between boots). The disk carries both: keyslot 0 opened by the broker's
# key with a guestguard token, keyslot 1 bound by `clevis luks bind` to a tang server on the host.
# One hand-built initramfs holds both stacks (busybox, bash, cryptsetup, clevis + jose + curl, guestguard);
# the guest times each command with bash's $EPOCHREALTIME and closes the mapping before the next.
#   guestguard: guestguard boot-unlock   (attest with the SIMULATED secure processor, broker, header check, activate)
#   clevis:     clevis luks unlock -d /dev/vda -n clroot   (tang round trip, jose, cryptsetup)
# Also measured: the initramfs size guestguard adds to a Debian mkinitramfs image (zstd and uncompressed).
# Last line:  score: <clevis median / guestguard median>     (goal >= 4)
# Usage: bench/unlock-vs-clevis.sh [boots]   (default 3; about 40 s per boot under TCG)   env: GG_BIN=DIR
set -euo pipefail
cd "$(dirname "$0")/.."
# The peers (tang-common: tangd and tangd-keygen, without the tang package's socket on port 80) and what
# the hand-built initramfs and the VM need.
scripts/install-deps.sh tang-common clevis clevis-luks jose luksmeta curl cryptsetup-bin busybox-static cpio zstd \
	qemu-system-x86 ovmf linux-image-amd64 initramfs-tools python3
# shellcheck source-path=SCRIPTDIR source=../tests/vm/lib.sh
. tests/vm/lib.sh
boots=${1:-3}
GG_WORK=$(mktemp -d /tmp/guestguard-bench.XXXXXX); export GG_WORK
cleanup() { gg_broker_stop; gg_sim_stop; [ -n "${tang_pid:-}" ] && kill "$tang_pid" 2>/dev/null; [ -n "${GG_KEEP:-}" ] || rm -rf "$GG_WORK"; }
trap cleanup EXIT
gg_build
GG_PORT=$(gg_freeport); GG_MARKER="bench-$RANDOM"; export GG_PORT GG_MARKER
tang_port=$(gg_freeport)

# --- initramfs size added by guestguard (Debian mkinitramfs, same private configuration) ---
gg_tenant
gg_config ""
gg_initramfs "$GG_WORK/with.img"
gg_initramfs "$GG_WORK/without.img" without
with_z=$(stat -c %s "$GG_WORK/with.img"); without_z=$(stat -c %s "$GG_WORK/without.img")
with_u=$(zstd -dc "$GG_WORK/with.img" | wc -c); without_u=$(zstd -dc "$GG_WORK/without.img" | wc -c)
echo "initramfs (mkinitramfs, MODULES=list, zstd): without guestguard $without_z B, with $with_z B: +$((with_z - without_z)) B compressed"
echo "initramfs uncompressed cpio: without $without_u B, with $with_u B: +$((with_u - without_u)) B"
echo "guestguard-boot binary (stripped, what the initramfs carries): $(stat -c %s "$GG_WORK/bin/guestguard-boot") B"

# --- tang on the host (inetd-style tangd behind a tiny forking TCP server) ---
mkdir -p "$GG_WORK/tang"; /usr/libexec/tangd-keygen "$GG_WORK/tang" >/dev/null
python3 - "$tang_port" "$GG_WORK/tang" <<'PY' &
import socket, socketserver, subprocess, sys
class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        fd = self.request.fileno()
        subprocess.run(["/usr/libexec/tangd", sys.argv[2]], stdin=fd, stdout=fd, stderr=subprocess.DEVNULL)
class Server(socketserver.ForkingTCPServer):
    allow_reuse_address = True
Server(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
PY
tang_pid=$!
for _ in $(seq 50); do curl -sf -o "$GG_WORK/adv.jws" "http://127.0.0.1:$tang_port/adv" && break; sleep 0.1; done
[ -s "$GG_WORK/adv.jws" ] || gg_die "tang did not answer"

# --- the disk: guestguard keyslot 0 + token 0, clevis keyslot 1 + its token ---
gg_rootfs
gg_disk "$GG_WORK/disk.img" "$GG_WORK/disk.key"
clevis luks bind -y -d "$GG_WORK/disk.img" -k "$GG_WORK/disk.key" tang \
	"{\"url\":\"http://10.0.2.2:$tang_port\",\"adv\":\"$GG_WORK/adv.jws\"}" >/dev/null 2>&1 || gg_die "clevis luks bind"
sed -i 's/^name = "root"/name = "ggroot"/; s/^attempts = .*/attempts = 1/' "$GG_WORK/etc/guestguard.toml"

# --- the recipe's hand-built approach, for comparison: busybox + modules, with and without guestguard ---
hand=$GG_WORK/hand; mkdir -p "$hand/base/bin"
cp /bin/busybox "$hand/base/bin/busybox"
for m in virtio_pci virtio_blk virtio_net virtio_rng dm_mod dm_crypt xts aesni_intel ext4; do
	for ko in $(modprobe -S "$GG_KVER" --show-depends "$m" 2>/dev/null | awk '$1 == "insmod" { print $2 }'); do
		install -D -m644 "$ko" "$hand/base$ko"
	done
done
cp -a "$hand/base" "$hand/gg"
gg_copy_closure "$GG_WORK/bin/guestguard-boot" "$hand/gg" /usr/bin/guestguard-boot
for v in base gg; do (cd "$hand/$v" && find . -print0 | cpio --null -o -H newc --quiet) > "$hand/$v.cpio"; done
hand_z=$(( $(zstd -q -9 -c "$hand/gg.cpio" | wc -c) - $(zstd -q -9 -c "$hand/base.cpio" | wc -c) ))
echo "hand-built (busybox + modules): guestguard and its libraries add +$hand_z B zstd -9, +$(( $(stat -c %s "$hand/gg.cpio") - $(stat -c %s "$hand/base.cpio") )) B uncompressed"

# --- one hand-built initramfs with both stacks ---
tree=$GG_WORK/bench-initramfs
mkdir -p "$tree"/{bin,sbin,etc/guestguard,proc,sys,dev,run,tmp,usr/bin,usr/sbin}
cp /bin/busybox "$tree/bin/busybox"; ln -s busybox "$tree/bin/sh"; ln -s ../usr/bin/bash "$tree/bin/bash"
for exe in /usr/bin/bash /sbin/cryptsetup /usr/bin/jose /usr/bin/curl /usr/bin/luksmeta; do gg_copy_closure "$exe" "$tree"; done
for s in /usr/bin/clevis /usr/bin/clevis-decrypt* /usr/bin/clevis-luks-{common-functions,unlock,pass,list}; do install -m755 "$s" "$tree$s"; done
gg_copy_closure "$GG_WORK/bin/guestguard-boot" "$tree" /usr/bin/guestguard-boot
cp "$GG_WORK/etc/guestguard.toml" "$tree/etc/guestguard/guestguard.toml"
: > "$tree/etc/modules.order"
for m in virtio_pci virtio_blk virtio_net virtio_rng virtio_console dm_mod dm_crypt xts aesni_intel algif_skcipher algif_hash; do
	for ko in $(modprobe -S "$GG_KVER" --show-depends "$m" 2>/dev/null | awk '$1 == "insmod" { print $2 }'); do
		rel=${ko#/lib/modules/"$GG_KVER"/}
		[ -e "$tree/lib/modules/$GG_KVER/$rel" ] && continue
		install -D -m644 "$ko" "$tree/lib/modules/$GG_KVER/$rel"; echo "$rel" >> "$tree/etc/modules.order"
	done
done
echo "$GG_KVER" > "$tree/etc/kver"
cat > "$tree/init" <<'INIT'
#!/bin/bash
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sysfs /sys; mount -t devtmpfs devtmpfs /dev
mkdir -p /run/cryptsetup /run/guestguard
while read -r m; do insmod "/lib/modules/$(cat /etc/kver)/$m" 2>/dev/null; done < /etc/modules.order
sleep 0.3
ip link set lo up; ip link set eth0 up; ip addr add 10.0.2.15/24 dev eth0; ip route add default via 10.0.2.2
cryptsetup luksDump /dev/vda >/dev/null   # warm-up, as in the clevis baseline
run() {
	local what=$1 t0 t1 rc; shift
	t0=$EPOCHREALTIME; "$@" >/tmp/out 2>&1; rc=$?; t1=$EPOCHREALTIME
	echo "GG-BENCH $what rc=$rc seconds=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')"
	[ $rc = 0 ] || sed "s/^/GG-BENCH-OUT $what: /" /tmp/out
}
gg() { run guestguard guestguard-boot boot-unlock --config /etc/guestguard/guestguard.toml --on-failure exit; cryptsetup close ggroot; }
cl() { run clevis clevis luks unlock -d /dev/vda -n clroot; cryptsetup close clroot; }
case $(cat /proc/cmdline) in *gg.order=CG*) cl; gg ;; *) gg; cl ;; esac
sync; poweroff -f
INIT
chmod 755 "$tree/init"
(cd "$tree" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 > "$GG_WORK/bench.cpio.gz"
echo "bench initramfs (both stacks, hand-built): $(stat -c %s "$GG_WORK/bench.cpio.gz") B gzip"

# The release policy pins both launches (the two orders' command lines), labelled; the simulated secure
# processor runs on the host for each boot (gg_boot) and measures what QEMU gets.
bench_base="console=ttyS0 loglevel=4 panic=-1 net.ifnames=0 rdinit=/init"
for order in GC CG; do GG_CMDLINE_BASE=$bench_base gg_accept_launch "$GG_WORK/accept-$order.toml" "bench $order" "$GG_WORK/bench.cpio.gz" "gg.order=$order"; done
gg_broker_data "$GG_WORK/broker" "$GG_WORK/disk.key" "$GG_WORK/accept-GC.toml"
"$GG_WORK/bin/guestguard-broker" policy allow-measurement "$GG_RESOURCE" --from-json "$GG_WORK/accept-CG.toml.json" --label "bench CG" \
	--data "$GG_WORK/broker" >/dev/null || gg_die "allow-measurement"
gg_broker_start "$GG_WORK/broker" "$GG_WORK/broker.log"

: > "$GG_WORK/results"
for i in $(seq "$boots"); do
	order=GC; [ $((i % 2)) = 0 ] && order=CG
	GG_CMDLINE_BASE=$bench_base gg_boot "$GG_WORK/disk.img" "$GG_WORK/bench.cpio.gz" "$GG_WORK/serial-$i.log" "gg.order=$order"
	tr -d '\r' < "$GG_WORK/serial-$i.log" | grep -ao 'GG-BENCH.*' | tee -a "$GG_WORK/results" | sed "s/^/boot $i ($order): /"
done
grep -q 'rc=[^0]' "$GG_WORK/results" && gg_die "an unlock failed (see above)"
median() { grep "GG-BENCH $1 " "$GG_WORK/results" | sed 's/.*seconds=//' | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
gg_median=$(median guestguard); cl_median=$(median clevis)
echo "median over $boots boots: clevis luks unlock ${cl_median} s, guestguard boot-unlock ${gg_median} s"
echo "figures: clevis luks unlock ${cl_median} s, guestguard boot-unlock ${gg_median} s (median of $boots boots); initramfs +$((with_z - without_z)) B zstd"
awk -v c="$cl_median" -v g="$gg_median" 'BEGIN { printf "score: %.2f\n", c / g }'
