# shellcheck shell=bash
# The guest's own Debian 12 system, where the VM suite installs guestguard_*.deb with apt and builds
# the initramfs with the distribution's tools, as a user would (issue 17): update-initramfs (the
# initramfs-tools hook and local-top script from the package) or dracut (the package's 90guestguard
# module and guestguard-unlock.service, systemd in the initrd). Sourced by tests/vm/run.sh after lib.sh.
#
# The roots come from debootstrap (Debian 12 minbase, plus the packages named below), run once and
# cached in $GG_ROOT_CACHE (default .build-vm/ in the repository, keyed by the package list; CI caches
# that directory); each suite run works on a copy in $GG_WORK. Every command in a root runs through
# gg_in_root: chroot in a private mount namespace, this machine's kernel modules bound read-only,
# nothing outside the root changed. The kernel booted is this machine's ($GG_KERNEL).
#   GG_DEB=DIR        where guestguard_*_amd64.deb is (default out/deb, what `make deb` writes)
#   GG_ROOT_CACHE=DIR the debootstrap cache;   GG_MIRROR=URL the Debian mirror debootstrap uses

GG_ROOT_CACHE=${GG_ROOT_CACHE:-$GG_REPO/.build-vm}
GG_MIRROR=${GG_MIRROR:-http://deb.debian.org/debian}
# What guestguard_*.deb depends on (dpkg-shlibdeps), in the roots beforehand: apt installs the .deb offline.
GG_ROOT_LIBS=libcryptsetup12,libssl3,libtss2-esys-3.0.2-0,libtss2-mu0,libtss2-tctildr0,libtss2-rc0,libtss2-tcti-device0
GG_ITOOLS_PACKAGES=initramfs-tools,busybox,zstd,kmod,udev,$GG_ROOT_LIBS
GG_DRACUT_PACKAGES=dracut,dracut-network,systemd,systemd-sysv,udev,kmod,cryptsetup-bin,dmsetup,iproute2,dbus,zstd,$GG_ROOT_LIBS

# The newest guestguard_*_amd64.deb in $GG_DEB (default out/deb), or nothing.
gg_guest_deb() { find "${GG_DEB:-$GG_REPO/out/deb}" -maxdepth 1 -name 'guestguard_*_amd64.deb' 2>/dev/null | sort -V | tail -1; }

# gg_debroot FLAVOR OUT PACKAGES: a copy at OUT of the cached minbase root with PACKAGES (comma-separated);
# debootstrap fills the cache the first time (about 2.5 minutes, network-bound).
gg_debroot() {
	local flavor=$1 out=$2 packages=$3 key cache t0
	key=$(printf '%s' "$packages" | sha256sum | cut -c1-12)
	cache=$GG_ROOT_CACHE/debootstrap-$flavor-$key
	if [ ! -e "$cache/.complete" ]; then
		command -v debootstrap >/dev/null || gg_die "debootstrap is not installed (make deps)"
		t0=$(date +%s)
		mkdir -p "$GG_ROOT_CACHE"; rm -rf "$cache.tmp"
		debootstrap --variant=minbase --include="$packages" bookworm "$cache.tmp" "$GG_MIRROR" > "$GG_WORK/debootstrap-$flavor.log" 2>&1 \
			|| gg_die "debootstrap $flavor: $(tail -3 "$GG_WORK/debootstrap-$flavor.log")"
		rm -f "$cache.tmp"/var/cache/apt/archives/*.deb
		touch "$cache.tmp/.complete"; rm -rf "$cache"; mv "$cache.tmp" "$cache"
		gg_log "debootstrap $flavor: $(( $(date +%s) - t0 )) s, cached in $cache"
	fi
	rm -rf "$out"; cp -a "$cache" "$out"
}

# gg_in_root ROOT COMMAND...: COMMAND chrooted in ROOT, in a private mount namespace with /proc, /sys,
# /dev and this kernel's modules (read-only) mounted there; the environment is only PATH, LANG and
# DEBIAN_FRONTEND (pass more with `env NAME=VALUE COMMAND`).
gg_in_root() {
	local root=$1; shift
	mkdir -p "$root/lib/modules/$GG_KVER" "$root/boot"
	cp "/boot/config-$GG_KVER" "$root/boot/"   # both initramfs builders read the kernel's configuration
	# shellcheck disable=SC2016 # the inner script's own variables
	unshare --mount --propagation private bash -c '
		root=$1 kver=$2; shift 2
		mount -t proc proc "$root/proc" && mount --rbind /sys "$root/sys" && mount --rbind /dev "$root/dev" &&
			mount --bind -o ro "/lib/modules/$kver" "$root/lib/modules/$kver" || exit 1
		exec chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 "$@"' \
		gg-in-root "$root" "$GG_KVER" "$@"
}

# gg_install_deb ROOT: `apt install ./guestguard_*.deb` in ROOT; its log in $GG_WORK/apt-<root>.log.
gg_install_deb() {
	local root=$1 deb log
	deb=$(gg_guest_deb)
	[ -n "$deb" ] || gg_die "no guestguard_*_amd64.deb in ${GG_DEB:-$GG_REPO/out/deb} (make deb, or GG_DEB=DIR)"
	log=$GG_WORK/apt-$(basename "$root").log
	cp "$deb" "$root/tmp/"
	gg_in_root "$root" apt-get install -y --no-install-recommends "./tmp/$(basename "$deb")" > "$log" 2>&1 \
		|| gg_die "apt install ./$(basename "$deb") in $root: $(tail -5 "$log")"
	rm -f "$root/tmp/$(basename "$deb")"
	[ -x "$root/usr/bin/guestguard-boot" ] || gg_die "the package did not install /usr/bin/guestguard-boot"
}

# gg_deb_guest: the initramfs-tools guest ($GG_DEB_ROOT): the cached root, the .deb installed by apt, and
# the administrator's initramfs-tools settings (those of gg_initramfs's private directory). From then on
# gg_initramfs builds with the root's update-initramfs.
gg_deb_guest() {
	local t0
	t0=$(date +%s)
	GG_DEB_ROOT=$GG_WORK/guest-root
	gg_debroot initramfs-tools "$GG_DEB_ROOT" "$GG_ITOOLS_PACKAGES"
	gg_install_deb "$GG_DEB_ROOT"
	gg_initramfs_settings "$GG_DEB_ROOT/etc/initramfs-tools"
	gg_log "guest root: $(basename "$(gg_guest_deb)") installed by apt in a Debian 12 root in $(( $(date +%s) - t0 )) s"
}

# gg_root_config ROOT CONFIG: CONFIG as ROOT's /etc/guestguard/guestguard.toml, and the files it refers to (a broker
# CA under $GG_WORK/tls, say) at the same paths in ROOT, where the package's hook and dracut module copy them from,
# as an administrator's files would be (a file already in ROOT and absent here stays as it is).
gg_root_config() {
	local root=$1 config=$2 referenced path
	install -m644 "$config" "$root/etc/guestguard/guestguard.toml"
	referenced=$("$GG_WORK/bin/guestguard-boot" boot-unlock --config "$config" --list-files) || gg_die "$config: invalid configuration"
	while IFS= read -r path; do
		case $path in
		'' | tss2) ;;
		*/) mkdir -p "$root$path" && cp -a "$path." "$root$path" ;;
		*) if [ -e "$path" ] || [ ! -e "$root$path" ]; then mkdir -p "$root$(dirname "$path")" && cp -a "$path" "$root$path"; fi ;;
		esac
	done <<< "$referenced"
}

# gg_initramfs_deb OUT [VARIANT]: /etc/guestguard/guestguard.toml of the variant (etc/guestguard-VARIANT.toml if any; none for
# "without"; with GG_INITRAMFS_BIN, that executable as GUESTGUARD_BIN), then `update-initramfs -c` in the
# guest root; the image is copied to OUT.
gg_initramfs_deb() {
	local out=$1 root=$GG_DEB_ROOT config=${GG_INITRAMFS_CONFIG:-$GG_WORK/etc/guestguard.toml} log=$GG_WORK/update-initramfs${2:+-$2}.log bin=()
	[ -e "$GG_WORK/etc/guestguard-${2:-}.toml" ] && config=$GG_WORK/etc/guestguard-$2.toml
	rm -f "$root/etc/guestguard/guestguard.toml" "$root/boot/initrd.img-$GG_KVER"
	[ "${2:-}" = without ] || gg_root_config "$root" "$config"
	if [ -n "${GG_INITRAMFS_BIN:-}" ]; then
		install -m755 "$GG_INITRAMFS_BIN" "$root/tmp/guestguard-boot-variant"
		bin=(GUESTGUARD_BIN=/tmp/guestguard-boot-variant)
	fi
	gg_in_root "$root" env "${bin[@]}" update-initramfs -c -k "$GG_KVER" > "$log" 2>&1 || gg_die "update-initramfs: $(tail -5 "$log")"
	cp "$root/boot/initrd.img-$GG_KVER" "$out"
	rm -f "$root/tmp/guestguard-boot-variant"
}

# gg_dracut_guest: the dracut guest ($GG_DRACUT_ROOT): the cached root with dracut and systemd, the .deb
# installed by apt (its 90guestguard module and guestguard-unlock.service), the boot configuration.
gg_dracut_guest() {
	local t0
	t0=$(date +%s)
	GG_DRACUT_ROOT=$GG_WORK/dracut-root
	gg_debroot dracut "$GG_DRACUT_ROOT" "$GG_DRACUT_PACKAGES"
	gg_install_deb "$GG_DRACUT_ROOT"
	install -m644 "$GG_WORK/etc/guestguard.toml" "$GG_DRACUT_ROOT/etc/guestguard/guestguard.toml"
	# The administrator's dracut settings: a generic image (not host-only: the build root is not the VM),
	# zstd, and the virtio drivers of the VM (the simulator's port is virtio_console).
	cat > "$GG_DRACUT_ROOT/etc/dracut.conf.d/90-vm.conf" <<'CONF'
hostonly="no"
compress="zstd"
add_drivers+=" virtio_pci virtio_blk virtio_net virtio_console virtio_rng ext4 "
CONF
	gg_log "dracut root: $(basename "$(gg_guest_deb)") installed by apt in a Debian 12 root in $(( $(date +%s) - t0 )) s"
}

# gg_dracut_initramfs OUT [VARIANT]: `dracut` in the dracut guest root (90guestguard is included because the
# configuration exists: etc/guestguard.toml, or the variant's etc/guestguard-VARIANT.toml); the image is copied to
# OUT, its listing to dracut[-VARIANT].list, and checked like every other (no simulator key).
gg_dracut_initramfs() {
	local out=$1 log=$GG_WORK/dracut${2:+-$2}.log unpacked=$GG_WORK/unpacked-dracut
	gg_root_config "$GG_DRACUT_ROOT" "$GG_WORK/etc/guestguard${2:+-$2}.toml"
	gg_in_root "$GG_DRACUT_ROOT" dracut --force --kver "$GG_KVER" "/boot/initrd-dracut.img" > "$log" 2>&1 || gg_die "dracut: $(tail -5 "$log")"
	cp "$GG_DRACUT_ROOT/boot/initrd-dracut.img" "$out"
	gg_in_root "$GG_DRACUT_ROOT" lsinitrd /boot/initrd-dracut.img > "$GG_WORK/dracut${2:+-$2}.list" 2>&1 || gg_die "lsinitrd"
	rm -rf "$unpacked"; mkdir -p "$unpacked"
	(cd "$unpacked" && zstd -dc "$out" | cpio -id --quiet) || gg_die "unpack $out"
	gg_expect_no_sim_keys "$unpacked"
	rm -rf "$unpacked"
}
