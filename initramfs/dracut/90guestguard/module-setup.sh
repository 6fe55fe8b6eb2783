#!/bin/bash
# dracut module (systemd initrd): guestguard unlocks the root volume(s) before cryptsetup.target.
# Install as /usr/lib/dracut/modules.d/90guestguard/ with emergency-poweroff.conf, guestguard-network.service and
# guestguard-network.sh (the initrd network of [network]); the unit Units/guestguard-unlock.service is installed by
# the package into the system unit directory.
# Build-time overrides: GUESTGUARD_BIN (the boot executable, default /usr/bin/guestguard-boot), GUESTGUARD_CONFIG
# (as for the initramfs-tools hook).

# Included whenever this machine has a guestguard boot configuration.
check() {
	require_binaries "${GUESTGUARD_BIN:-/usr/bin/guestguard-boot}" || return 1
	[ -r "${GUESTGUARD_CONFIG:-/etc/guestguard/guestguard.toml}" ] || return 1
	return 0
}

# systemd initrd, device-mapper crypt, and systemd-networkd for the broker's network (not dracut's `network`
# meta-module, whose hooks read ifname= and root=dhcp: the link comes from [network] only).
depends() {
	echo systemd crypt systemd-networkd
	return 0
}

# The initrd network from the configuration's [network] alone (its validated plan, BootNetwork.plan, one
# `key value...` line each): 00-guestguard.network for systemd-networkd, and guestguard-network.service, which
# waits for the device and its address within link-timeout and writes the resolver files (guestguard-network.sh),
# required by guestguard-unlock.service. Nothing else configures a link: the other .network/.netdev files are
# removed from the image and systemd-network-generator (ip=, nameserver=, rd.peerdns=, ifname=, vlan=, bond=...
# of the host's command line) is masked.
install_network() {
	local key a b c want='*' v4=dhcp v6=slaac v4addr='' v4gw='-' v6addr='' v6gw='-' dns=no file dir
	while read -r key a b c; do
		case $key in
		interface) want=$a ;;
		ipv4) v4=$a v4addr=$b v4gw=${c:--} ;;
		ipv6) v6=$a v6addr=$b v6gw=${c:--} ;;
		dns) dns=yes ;;
		esac
	done <<< "$1"
	for dir in etc/systemd/network run/systemd/network usr/lib/systemd/network lib/systemd/network; do
		rm -f "$initdir/$dir"/*.network "$initdir/$dir"/*.netdev
	done
	mkdir -p "$initdir/etc/systemd/network" "$initdir/etc/systemd/system"
	file=$initdir/etc/systemd/network/00-guestguard.network
	{
		echo "# guestguard: from the [network] table of /etc/guestguard/guestguard.toml (dracut module 90guestguard)"
		echo "[Match]"
		if [ "$want" = '*' ]; then echo "Type=ether"; else echo "Name=$want"; fi
		printf '\n[Link]\nRequiredForOnline=yes\n\n[Network]\n'
		case $v4 in dhcp) echo "DHCP=ipv4" ;; *) echo "DHCP=no" ;; esac
		case $v6 in off) echo "LinkLocalAddressing=no" ;; *) echo "LinkLocalAddressing=ipv6" ;; esac
		case $v6 in slaac) echo "IPv6AcceptRA=yes" ;; *) echo "IPv6AcceptRA=no" ;; esac
		echo "LLMNR=no"
		echo "MulticastDNS=no"
		[ "$v4" != static ] || echo "Address=$v4addr"
		[ "$v4" != static ] || [ "$v4gw" = - ] || echo "Gateway=$v4gw"
		[ "$v6" != static ] || [ "$v6gw" = - ] || echo "Gateway=$v6gw"
		# Resolvers, host name, domains, NTP, time zone: none from the host's DHCP server or router
		# advertisements, but the DHCP server's resolvers when the configuration names none (guestguard-network.sh).
		printf '\n[DHCPv4]\nUseDNS=%s\nUseNTP=no\nUseSIP=no\nUseHostname=no\nUseDomains=no\nUseTimezone=no\nSendHostname=no\n' \
			"$([ "$v4/$dns" = dhcp/no ] && echo yes || echo no)"
		printf '\n[IPv6AcceptRA]\nUseDNS=no\nUseDomains=no\nDHCPv6Client=no\n'
		[ "$v6" != static ] || printf '\n[Address]\nAddress=%s\nDuplicateAddressDetection=none\n' "$v6addr"
	} > "$file" || return 1
	ln_r /dev/null /etc/systemd/system/systemd-network-generator.service
	# dracut's `network` module (Debian's dracut-network adds it through ifcfg, /etc/dracut.conf.d/11-ifcfg.conf):
	# its hooks that read the command line (ifname= renames links by udev rule, root=dhcp) or carry the host's
	# lease into the root (ifcfg's write-ifcfg) are removed; nothing else of it acts on a systemd-networkd initrd.
	rm -f "$initdir/lib/dracut/hooks/pre-udev/"??-ifname-genrules.sh "$initdir/lib/dracut/hooks/cmdline/"??-dhcp-root.sh \
		"$initdir/lib/dracut/hooks/pre-pivot/"??-write-ifcfg.sh
	inst_simple "$moddir/guestguard-network.service" "$systemdsystemunitdir/guestguard-network.service" || return 1
	inst_script "$moddir/guestguard-network.sh" /usr/lib/guestguard/guestguard-network || return 1
	inst_multiple ip sleep || return 1
	$SYSTEMCTL -q --root "$initdir" add-requires guestguard-unlock.service guestguard-network.service
}

# Attestation (sev-guest, configfs-tsm), vTPM, and the root volume's device-mapper target, as the initramfs-tools
# hook: a module this kernel does not have (tsm before 6.7) is skipped, configfs comes in as tsm's dependency when
# there is a tsm (instmods resolves dependencies), and guestguard-boot reads no MSR (no msr module).
installkernel() {
	hostonly='' instmods sev-guest tsm tpm tpm_tis tpm_crb dm_mod dm_crypt xts
}

install() {
	local bin=${GUESTGUARD_BIN:-/usr/bin/guestguard-boot} config=${GUESTGUARD_CONFIG:-/etc/guestguard/guestguard.toml}
	local referenced plan path unit
	# Parse the configuration with the boot's own parser: a bad file fails the build, not the boot.
	referenced=$("$bin" boot-unlock --config "$config" --list-files) || { dfatal "guestguard: $config: invalid configuration"; return 1; }
	plan=$("$bin" boot-unlock --config "$config" --network-plan) || { dfatal "guestguard: $config: invalid [network]"; return 1; }
	inst_binary "$bin" /usr/bin/guestguard-boot || return 1
	inst_simple "$config" /etc/guestguard/guestguard.toml || return 1
	while IFS= read -r path; do
		[ -n "$path" ] || continue
		case $path in
		# guestguard-unlock.service runs with PrivateTmp=: a file there would be missing at boot.
		/tmp/* | /var/tmp/*) dfatal "guestguard: $config refers to $path: /tmp and /var/tmp are private to guestguard-unlock.service at boot; keep it elsewhere (/etc/guestguard/)"; return 1 ;;
		# [tpm]: the tss2 libraries are dlopen()ed (and tss2-tctildr dlopen()s its TCTI plugin): no library scan sees them.
		tss2) inst_libdir_file "libtss2-esys.so.0*" "libtss2-mu.so.0*" "libtss2-rc.so.0*" "libtss2-tctildr.so.0*" "libtss2-tcti-device.so.0*" ;;
		*/) inst_dir "$path"; for file in "$path"*; do [ -f "$file" ] && inst_simple "$file"; done ;;
		*) inst_simple "$path" ;;
		esac
	done <<< "$referenced"

	unit="${systemdsystemunitdir:-/usr/lib/systemd/system}/guestguard-unlock.service"
	[ -r "$unit" ] || unit="$moddir/guestguard-unlock.service"
	inst_simple "$unit" "$systemdsystemunitdir/guestguard-unlock.service" || return 1
	$SYSTEMCTL -q --root "$initdir" add-wants initrd-root-device.target guestguard-unlock.service
	$SYSTEMCTL -q --root "$initdir" add-wants cryptsetup.target guestguard-unlock.service
	install_network "$plan" || return 1

	# Fail closed: no emergency or rescue shell (rd.shell, rd.emergency, rd.break, emergency.target),
	# and no debug shell on tty9 (systemd.debug_shell): the host owns the console.
	for unit in emergency.service dracut-emergency.service rescue.service; do
		inst_simple "$moddir/emergency-poweroff.conf" "$systemdsystemunitdir/$unit.d/90-guestguard.conf"
	done
	ln_r /dev/null "$systemdsystemunitdir/debug-shell.service"

	# No way around the unlock: guestguard-unlock.service (--expect-root-from-cmdline) opens the root
	# volume and nothing else may. Generators that act on host-controlled input are masked (a /dev/null
	# link in /etc/systemd/system-generators hides the one of the same name): the cryptsetup generator
	# (rd.luks.*, luks.* and crypttab: would ask the host's console for a passphrase to open a disk of
	# its choosing), gpt-auto (mounts a discoverable GPT root partition when root= is absent),
	# hibernate-resume (resume=: would load a host-named image), debug (systemd.mask=, systemd.wants=:
	# could mask this unit or pull in anything) and run (systemd.run=: runs a command). dracut's
	# rd.cmdline=ask would read more parameters from the console. boot-unlock also powers off when
	# the command line carries any of these (KernelCommandLine.refusedInSystemdInitrd).
	mkdir -p "$initdir/etc/systemd/system-generators"
	for generator in systemd-cryptsetup-generator systemd-gpt-auto-generator systemd-hibernate-resume-generator \
		systemd-debug-generator systemd-run-generator; do
		ln_r /dev/null "/etc/systemd/system-generators/$generator"
	done
	for unit in systemd-hibernate-resume.service systemd-hibernate-resume@.service dracut-cmdline-ask.service; do
		ln_r /dev/null "$systemdsystemunitdir/$unit"
	done
}
