#!/bin/bash
# Initramfs bytes guestguard adds, measured as clevis's were (../shared/docs/clevis-nginx-baseline.md, §1):
# over the same initramfs with cryptsetup-initramfs-equivalent content already present (a LUKS-root
# system ships cryptsetup, libcryptsetup and libcrypto anyway), zstd at mkinitramfs' level (-9).
#
# Images (mkinitramfs with a private configuration directory, as tests/vm/lib.sh gg_initramfs does;
# nothing under /etc or /usr is read-modified or written):
#   base        MODULES=list + virtio/ext4, busybox, and a hook copying /sbin/cryptsetup, /sbin/dmsetup
#               (their ldd closure: libcryptsetup, libcrypto, libdevmapper, libjson-c, libargon2 …), libgcc_s
#               and the dm_mod dm_crypt xts aesni_intel modules (what cryptsetup-initramfs' cryptroot hook adds)
#   boot        base + initramfs/hooks/guestguard + local-top with guestguard-boot (what the package ships)
#   boot-tpm    the same with [tpm] in the configuration: the dlopen()ed tss2 libraries go in too
#   full        base + the same hook with the multi-call `guestguard` (before the boot-only executable)
#   clevis      base + clevis-initramfs 19-2's hook and scripts (from its .deb, unpacked under the work
#               directory; clevis, clevis-luks, jose, curl, luksmeta must be installed), when available
# Prints each image's size and each addition; the last line is
#   score: clevis_added_bytes / guestguard_added_bytes     (guestguard = the "boot" image)
# with clevis's addition measured in this run when the clevis image could be built, else the baseline
# document's +5,385,013 B (the line says which).
#
# Usage: bench/initramfs-size.sh    env: GG_BIN=DIR (release guestguard and guestguard-boot; default
# .build/release, built if missing), GG_WORK=DIR (kept with GG_KEEP=1)
set -euo pipefail
GG_WORK=${GG_WORK:-$(mktemp -d /tmp/gg-initramfs-size.XXXXXX)}
export GG_WORK
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/../tests/vm/lib.sh"
cleanup() { [ -n "${GG_KEEP:-}" ] || rm -rf "$GG_WORK"; }
trap cleanup EXIT
CLEVIS_DOC_ADDED=5385013
# mkinitramfs, the kernel it builds for, what the hooks copy, and clevis-initramfs's dependencies (its hook
# copies clevis, jose, curl, luksmeta: without them the clevis image falls back to the document's figure).
"$GG_REPO"/scripts/install-deps.sh initramfs-tools linux-image-amd64 busybox-static zstd cpio cryptsetup-bin dmsetup binutils \
	clevis clevis-luks jose curl luksmeta python3

bin=${GG_BIN:-$GG_REPO/.build/release}
if [ ! -x "$bin/guestguard" ] || [ ! -x "$bin/guestguard-boot" ]; then
	(cd "$GG_REPO" && swift build -c release --static-swift-stdlib --product guestguard-boot >&2 \
		&& swift build -c release --static-swift-stdlib --product guestguard >&2) || gg_die "release build"
fi
mkdir -p "$GG_WORK/bin"
for exe in guestguard guestguard-boot; do strip -o "$GG_WORK/bin/$exe" "$bin/$exe"; done
# A production-shaped boot configuration: https broker pinned by key, one volume, no test-only parts.
mkdir -p "$GG_WORK/etc"
cat > "$GG_WORK/etc/guestguard.toml" <<TOML
brokers = ["https://broker.example:8443"]
broker-pin = "spki-sha256:$(printf '%064d' 0)"
resource = "default/disk/root"
name = "root"

[[volume]]
uuid = "$GG_VOLUME_UUID"
TOML
# The same with a vTPM ([tpm]): the tss2 libraries are dlopen()ed and go in only then.
{ cat "$GG_WORK/etc/guestguard.toml"; printf '\n[tpm]\ntcti = "device:/dev/tpmrm0"\n'; } > "$GG_WORK/etc/guestguard-tpm.toml"

# size_image NAME [hook-installer]: mkinitramfs into $GG_WORK/NAME.img with the base hook plus what
# the installer function puts into the configuration directory ($1 of the installer).
size_image() {
	local name=$1 install=${2:-} conf=$GG_WORK/conf-$1
	rm -rf "$conf"; mkdir -p "$conf/conf.d" "$conf/hooks" "$conf/scripts/local-top" "$conf/scripts/local-bottom"
	printf '%s\n' MODULES=list BUSYBOX=y COMPRESS=zstd DEVICE= NFSROOT=auto RUNSIZE=10% FSTYPE=ext4 > "$conf/initramfs.conf"
	printf '%s\n' virtio_pci virtio_blk virtio_net virtio_rng virtio_console ext4 > "$conf/modules"
	cat > "$conf/hooks/zz-cryptsetup-equivalent" <<'HOOK'
#!/bin/sh
# What cryptsetup-initramfs puts in for a LUKS root: the tools with their libraries, dm-crypt.
PREREQ=""
prereqs() { echo "$PREREQ"; }
case "$1" in prereqs) prereqs; exit 0 ;; esac
. /usr/share/initramfs-tools/hook-functions
copy_exec /sbin/cryptsetup /sbin/cryptsetup
copy_exec /sbin/dmsetup /sbin/dmsetup
# glibc dlopen()s libgcc_s for pthread_exit/pthread_cancel: cryptroot copies it (copy_libgcc), so do we.
copy_exec "$(ldconfig -p | awk '/libgcc_s.so.1 .*x86-64/ {print $NF; exit}')"
manual_add_modules dm_mod dm_crypt xts aesni_intel
HOOK
	chmod 755 "$conf/hooks/zz-cryptsetup-equivalent"
	[ -z "$install" ] || "$install" "$conf"
	GUESTGUARD_CONFIG=${GUESTGUARD_CONFIG:-$GG_WORK/etc/guestguard.toml} mkinitramfs -d "$conf" -o "$GG_WORK/$name.img" "$GG_KVER" \
		> "$GG_WORK/mkinitramfs-$name.log" 2>&1 || { gg_log "mkinitramfs $name: $(tail -5 "$GG_WORK/mkinitramfs-$name.log")"; return 1; }
	lsinitramfs "$GG_WORK/$name.img" | sort > "$GG_WORK/$name.list"
}

install_guestguard() {
	install -m755 "$GG_REPO/initramfs/hooks/guestguard" "$1/hooks/guestguard"
	install -m755 "$GG_REPO/initramfs/scripts/local-top/guestguard" "$1/scripts/local-top/guestguard"
}

# clevis-initramfs 19-2 from its .deb (apt-get download; not installed, so no trigger touches /boot).
clevis_deb() {
	local dir=$GG_WORK/clevis-deb
	command -v clevis-decrypt-tang jose curl luksmeta >/dev/null 2>&1 || return 1
	mkdir -p "$dir"
	(cd "$dir" && apt-get download clevis-initramfs >/dev/null 2>&1) || return 1
	dpkg-deb -x "$dir"/clevis-initramfs_*.deb "$dir/x" || return 1
	[ -r "$dir/x/usr/share/initramfs-tools/hooks/clevis" ]
}
install_clevis() {
	local x=$GG_WORK/clevis-deb/x/usr/share/initramfs-tools
	install -m755 "$x/hooks/clevis" "$1/hooks/clevis"
	install -m755 "$x/scripts/local-top/clevis" "$1/scripts/local-top/clevis"
	install -m755 "$x/scripts/local-bottom/clevis" "$1/scripts/local-bottom/clevis"
}

size_image base
GUESTGUARD_BIN=$GG_WORK/bin/guestguard-boot size_image boot install_guestguard
GUESTGUARD_BIN=$GG_WORK/bin/guestguard-boot GUESTGUARD_CONFIG=$GG_WORK/etc/guestguard-tpm.toml size_image boot-tpm install_guestguard
GUESTGUARD_BIN=$GG_WORK/bin/guestguard size_image full install_guestguard
clevis_source="the baseline document (clevis-nginx-baseline.md: B0 -> B1)"
clevis_added=$CLEVIS_DOC_ADDED
if clevis_deb && size_image clevis install_clevis; then
	clevis_added=$(( $(stat -c %s "$GG_WORK/clevis.img") - $(stat -c %s "$GG_WORK/base.img") ))
	clevis_source="measured in this run (clevis-initramfs $(dpkg-deb -f "$GG_WORK"/clevis-deb/clevis-initramfs_*.deb Version))"
fi

base=$(stat -c %s "$GG_WORK/base.img")
uncompressed() { zstd -dc "$1" | wc -c; }
printf '%-9s %12s %14s %9s  %s\n' image "zstd -9 B" "uncompressed B" entries "added over base"
for name in base boot boot-tpm full clevis; do
	[ -e "$GG_WORK/$name.img" ] || continue
	size=$(stat -c %s "$GG_WORK/$name.img")
	printf '%-9s %12d %14d %9d  %+d B\n' "$name" "$size" "$(uncompressed "$GG_WORK/$name.img")" "$(wc -l < "$GG_WORK/$name.list")" $(( size - base ))
done
for name in boot full; do
	echo "what $name adds (unpacked bytes):"
	rm -rf "$GG_WORK/x-$name"; unmkinitramfs "$GG_WORK/$name.img" "$GG_WORK/x-$name"
	root=$(dirname "$(find "$GG_WORK/x-$name" -maxdepth 2 -name init -type f | head -1)")
	comm -13 "$GG_WORK/base.list" "$GG_WORK/$name.list" | while read -r path; do
		[ -f "$root/$path" ] && [ ! -L "$root/$path" ] && printf '  %10d %s\n' "$(stat -c %s "$root/$path")" "$path"
	done | sort -rn
done
echo "guestguard-boot: $(stat -c %s "$GG_WORK/bin/guestguard-boot") B stripped, $(zstd -9 -q -c "$GG_WORK/bin/guestguard-boot" | wc -c) B zstd -9;" \
	"guestguard: $(stat -c %s "$GG_WORK/bin/guestguard") B stripped, $(zstd -9 -q -c "$GG_WORK/bin/guestguard" | wc -c) B zstd -9"
guestguard_added=$(( $(stat -c %s "$GG_WORK/boot.img") - base ))
echo "with [tpm] (tss2 libraries): guestguard adds $(( $(stat -c %s "$GG_WORK/boot-tpm.img") - base )) B"
echo "guestguard (guestguard-boot) adds $guestguard_added B; the multi-call guestguard added $(( $(stat -c %s "$GG_WORK/full.img") - base )) B;" \
	"clevis adds $clevis_added B, $clevis_source"
echo "figures: guestguard-boot adds $guestguard_added B (zstd -9), clevis $clevis_added B"
echo "score: $(python3 -c "print(round($clevis_added / $guestguard_added, 3))")"
