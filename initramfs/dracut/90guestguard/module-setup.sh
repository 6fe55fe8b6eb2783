#!/bin/bash
# dracut module (systemd initrd): guestguard unlocks the root volume(s) before cryptsetup.target.
# Install as /usr/lib/dracut/modules.d/90guestguard/ next to emergency-poweroff.conf; the unit
# Units/guestguard-unlock.service is installed by the package into the system unit directory.
# Build-time overrides: GUESTGUARD_BIN (the boot executable, default /usr/bin/guestguard-boot), GUESTGUARD_CONFIG
# (as for the initramfs-tools hook).

# Included whenever this machine has a guestguard boot configuration.
check() {
	require_binaries "${GUESTGUARD_BIN:-/usr/bin/guestguard-boot}" || return 1
	[ -r "${GUESTGUARD_CONFIG:-/etc/guestguard/guestguard.toml}" ] || return 1
	return 0
}

# systemd initrd, device-mapper crypt, network for the broker.
depends() {
	echo systemd crypt network
	return 0
}

installkernel() {
	hostonly='' instmods msr sev-guest tsm configfs tpm tpm_tis tpm_crb dm_mod dm_crypt xts
}

install() {
	local bin=${GUESTGUARD_BIN:-/usr/bin/guestguard-boot} config=${GUESTGUARD_CONFIG:-/etc/guestguard/guestguard.toml}
	local referenced path unit
	# Parse the configuration with the boot's own parser: a bad file fails the build, not the boot.
	referenced=$("$bin" boot-unlock --config "$config" --list-files) || { dfatal "guestguard: $config: invalid configuration"; return 1; }
	inst_binary "$bin" /usr/bin/guestguard-boot || return 1
	inst_simple "$config" /etc/guestguard/guestguard.toml || return 1
	while IFS= read -r path; do
		[ -n "$path" ] || continue
		case $path in
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
	for generator in systemd-cryptsetup-generator systemd-gpt-auto-generator systemd-hibernate-resume-generator \
		systemd-debug-generator systemd-run-generator; do
		ln_r /dev/null "/etc/systemd/system-generators/$generator"
	done
	for unit in systemd-hibernate-resume.service systemd-hibernate-resume@.service dracut-cmdline-ask.service; do
		ln_r /dev/null "$systemdsystemunitdir/$unit"
	done
}
