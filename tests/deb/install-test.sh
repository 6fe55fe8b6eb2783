#!/usr/bin/env bash
# The Debian packages as a user meets them, in a throwaway root: this machine's / as the read-only
# lower layer of an overlay whose upper layer is a tmpfs, in a private mount namespace (nothing
# reaches the real /). In that root, as root would on a Debian 12 machine:
#   1. apt install ./guestguard_*.deb: the hook and boot script land where update-initramfs looks,
#      the package's trigger rebuilds the initramfs, and, with no /etc/guestguard/guestguard.toml,
#      guestguard stays out of it (the image boots as before);
#   2. with a boot configuration, update-initramfs -u builds guestguard in (binary, configuration,
#      local-top script, fail-closed overrides);
#   3. apt remove guestguard: the trigger rebuilds the image without any of it; only conffiles remain,
#      and purge removes those;
#   4. apt install ./guestguard-broker_*.deb: the system user, /var/lib/guestguard-broker (that
#      user's, 0700), the unit (systemd-analyze verify); the broker, run as that user, imports a
#      key into its store; purge keeps the keys.
# Usage: tests/deb/install-test.sh DIR-WITH-DEBS      (root; about 3 minutes: three mkinitramfs runs)
set -euo pipefail
debs=$(cd "${1:?usage: $0 DIR-WITH-DEBS}" && pwd)
[ "$(id -u)" = 0 ] || { echo "$0: needs root (mount namespace, overlay, chroot)" >&2; exit 1; }
guest=$(find "$debs" -maxdepth 1 -name 'guestguard_*_amd64.deb' | sort -V | tail -1)
broker=$(find "$debs" -maxdepth 1 -name 'guestguard-broker_*_amd64.deb' | sort -V | tail -1)
if [ -z "$guest" ] || [ -z "$broker" ]; then echo "$0: no guestguard_*.deb and guestguard-broker_*.deb in $debs (make deb)" >&2; exit 1; fi

if [ -z "${GG_DEB_TEST_INNER:-}" ]; then
	exec env GG_DEB_TEST_INNER=1 unshare --mount --propagation private "$0" "$@"
fi

work=$(mktemp -d /tmp/guestguard-deb-test.XXXXXX)
root=$work/root
cleanup() {
	for m in "$root/dev/pts" "$root/dev" "$root/sys" "$root/proc" "$root" "$work/layers"; do
		mountpoint -q "$m" && umount -l "$m"
	done
	rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/layers" "$root"
mount -t tmpfs -o size=4G tmpfs "$work/layers"
mkdir -p "$work/layers/upper" "$work/layers/work"
mount -t overlay overlay -o "lowerdir=/,upperdir=$work/layers/upper,workdir=$work/layers/work" "$root"
mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys"
mount --rbind /dev "$root/dev"
mkdir -p "$root/tmp/debs"
cp "$guest" "$broker" "$root/tmp/debs/"

fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 "$@"; }
kver=$(in_root sh -c 'ls /lib/modules | sort -V | tail -1')
image=/boot/initrd.img-$kver
[ -e "$root$image" ] || in_root update-initramfs -c -k "$kver" >/dev/null
contents() { in_root lsinitramfs "$image"; }
# A fresh state for the package (the machine running this may have a guestguard configuration).
rm -rf "$root/etc/guestguard"
in_root dpkg --purge guestguard guestguard-broker >/dev/null 2>&1 || true
# The test must see each rebuild: the image's mtime moves with each.
stamp() { stat -c %Y "$root$image"; }

echo "== 1. apt install ./$(basename "$guest") (kernel $kver)"
before=$(stamp); sleep 1
in_root apt-get install -y --no-install-recommends "/tmp/debs/$(basename "$guest")" > "$work/install.log" 2>&1 \
	|| { tail -20 "$work/install.log"; exit 1; }
grep -E 'update-initramfs|guestguard' "$work/install.log" | sed 's/^/  | /'
for f in /usr/bin/guestguard /usr/bin/guestguard-boot /usr/share/initramfs-tools/hooks/guestguard /usr/share/initramfs-tools/scripts/local-top/guestguard \
	/usr/lib/dracut/modules.d/90guestguard/module-setup.sh /usr/lib/dracut/modules.d/90guestguard/guestguard-network.sh \
	/usr/lib/dracut/modules.d/90guestguard/guestguard-network.service /lib/systemd/system/guestguard.service \
	/lib/systemd/system/guestguard-unlock.service /etc/guestguard/guestguard.example.toml /etc/guestguard/policy.example.toml \
	/usr/share/man/man1/guestguard.1.gz /usr/share/bash-completion/completions/guestguard \
	/usr/share/zsh/vendor-completions/_guestguard /usr/share/fish/vendor_completions.d/guestguard.fish; do
	check "$f installed" test -e "$root$f"
done
check "hook executable" test -x "$root/usr/share/initramfs-tools/hooks/guestguard"
check "boot script executable" test -x "$root/usr/share/initramfs-tools/scripts/local-top/guestguard"
check "the trigger rebuilt $image on install" test "$(stamp)" -gt "$before"
if contents | grep -qE '(^|/)usr/bin/guestguard(-boot)?$|scripts/local-top/guestguard$'; then
	bad "guestguard in the initramfs without a configuration"
else
	ok "no configuration: guestguard and its boot script stay out of the initramfs"
fi
check "guestguard --version runs in the root" in_root guestguard --version
in_root man -w guestguard >/dev/null 2>&1 && ok "man guestguard found" || echo "note: man-db not installed in this root"

echo "== 2. a boot configuration, update-initramfs -u"
cp "$root/etc/guestguard/guestguard.example.toml" "$root/etc/guestguard/guestguard.toml"
in_root update-initramfs -u -k "$kver" > "$work/update.log" 2>&1 || { cat "$work/update.log"; bad "update-initramfs -u with a configuration"; }
listing=$(contents)
for f in usr/bin/guestguard-boot etc/guestguard/guestguard.toml scripts/local-top/guestguard; do
	check "initramfs has $f" grep -qE "(^|/)$f\$" <<<"$listing"
done
in_root unmkinitramfs "$image" /tmp/unpacked
main=$root/tmp/unpacked; [ -d "$main/main" ] && main=$main/main
check "fail-closed overrides in /scripts/functions" grep -q guestguard_poweroff "$main/scripts/functions"
check "local-top ORDER runs guestguard" grep -q 'local-top/guestguard' "$main/scripts/local-top/ORDER"
rm -rf "$root/tmp/unpacked"

echo "== 3. apt remove guestguard, then purge"
before=$(stamp); sleep 1
in_root apt-get remove -y guestguard > "$work/remove.log" 2>&1 || { tail -20 "$work/remove.log"; bad "apt remove"; }
grep -E 'update-initramfs|guestguard:' "$work/remove.log" | sed 's/^/  | /'
check "prerm warns that the configured volumes will not unlock" grep -q 'will not unlock the volumes' "$work/remove.log"
check "the trigger rebuilt $image on removal" test "$(stamp)" -gt "$before"
listing=$(contents)
if grep -qE 'guestguard' <<<"$listing"; then bad "left in the initramfs: $(grep guestguard <<<"$listing" | tr '\n' ' ')"; else ok "initramfs without guestguard"; fi
check "hook gone" test ! -e "$root/usr/share/initramfs-tools/hooks/guestguard"
# Bootable as before: the image's scripts no longer run guestguard nor power off in place of a panic.
in_root unmkinitramfs "$image" /tmp/unpacked
main=$root/tmp/unpacked; [ -d "$main/main" ] && main=$main/main
check "the rebuilt image has its init and boot scripts" test -x "$main/init" -a -e "$main/scripts/functions" -a -e "$main/scripts/local"
left=$(grep -rlE 'guestguard' "$main/scripts" "$main/init" "$main/conf" 2>/dev/null || true)
check "no guestguard in the image's scripts or configuration: ${left//$'\n'/ }" test -z "$left"
rm -rf "$root/tmp/unpacked"
check "the dracut module is gone" test ! -e "$root/usr/lib/dracut/modules.d/90guestguard"
left=$(in_root dpkg-query -L guestguard 2>/dev/null | while read -r f; do [ -f "$root$f" ] && echo "$f"; done)
check "after remove only the conffiles remain: ${left//$'\n'/ }" \
	test "$left" = "$(printf '%s\n' /etc/guestguard/guestguard.example.toml /etc/guestguard/policy.example.toml)"
in_root dpkg --purge guestguard >/dev/null
check "purge removes the conffiles" test ! -e "$root/etc/guestguard/guestguard.example.toml"
check "the administrator's guestguard.toml is kept (not the package's)" test -e "$root/etc/guestguard/guestguard.toml"
rm -f "$root/etc/guestguard/guestguard.toml"

echo "== 4. apt install ./$(basename "$broker")"
in_root apt-get install -y --no-install-recommends "/tmp/debs/$(basename "$broker")" > "$work/broker.log" 2>&1 \
	|| { tail -20 "$work/broker.log"; exit 1; }
check "system user: $(in_root getent passwd _guestguard-broker)" in_root getent passwd _guestguard-broker
state=$(in_root stat -c '%U:%G %a' /var/lib/guestguard-broker 2>&1)
check "/var/lib/guestguard-broker: $state" test "$state" = "_guestguard-broker:_guestguard-broker 700"
for f in /usr/bin/guestguard-broker /lib/systemd/system/guestguard-broker.service /etc/default/guestguard-broker \
	/usr/share/man/man1/guestguard-broker.1.gz /usr/share/bash-completion/completions/guestguard-broker; do
	check "$f installed" test -e "$root$f"
done
# systemd-analyze verify also looks up the man page and the binary, in this root's /usr.
check "systemd-analyze verify guestguard-broker.service" in_root systemd-analyze verify /lib/systemd/system/guestguard-broker.service

exposure=$(in_root systemd-analyze security --offline=yes /lib/systemd/system/guestguard-broker.service 2>/dev/null | tail -1)
echo "  | $exposure"
head -c 64 /dev/urandom > "$root/tmp/disk.key"; chmod 0644 "$root/tmp/disk.key"
check "the broker's user imports a key into /var/lib/guestguard-broker" \
	in_root runuser -u _guestguard-broker -- guestguard-broker key import default/disk/root /tmp/disk.key --data /var/lib/guestguard-broker
check "dpkg --purge guestguard-broker" in_root dpkg --purge guestguard-broker
check "purge keeps the broker's keys" test -n "$(find "$root/var/lib/guestguard-broker" -name key -type f)"

if [ "$fail" = 0 ]; then echo "install-test: all passed"; else echo "install-test: FAILED"; exit 1; fi
