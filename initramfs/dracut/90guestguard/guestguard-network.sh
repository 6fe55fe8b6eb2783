#!/bin/sh
# guestguard (dracut, systemd initrd; run by guestguard-network.service before guestguard-unlock.service):
# wait for the network of the measured configuration and give guestguard-boot its resolver. The link itself
# is systemd-networkd's, from the 00-guestguard.network that module-setup.sh generated at build time from
# the same [network] table; nothing here reads the kernel command line (the host's ip=, nameserver=,
# rd.peerdns=, rd.neednet, BOOTIF=), and systemd-network-generator, which would, is masked.
# Exit status non-zero: the unit fails and its FailureAction powers the machine off.
# Installed in the initrd as /usr/lib/guestguard/guestguard-network.

fail() { echo "guestguard: network: $*; powering off"; exit 1; }
uptime_s() { read -r up _ < /proc/uptime; echo "${up%.*}"; }

# The validated plan (BootNetwork.plan), one `key value...` line each, as the initramfs-tools local-top reads it.
plan=$(/usr/bin/guestguard-boot boot-unlock --config /etc/guestguard/guestguard.toml --network-plan) || fail "no network plan"
want='*' v4=dhcp v6=slaac dns='' hosts='' wait=30 dev=''
while read -r key a b _; do
	case $key in
	interface) want=$a ;;
	ipv4) v4=$a ;;
	ipv6) v6=$a ;;
	dns) dns="$dns $a" ;;
	host) hosts="$hosts$b $a
" ;;
	link-timeout) wait=$a ;;
	esac
done <<PLAN
$plan
PLAN

# The device: the configured one, or the first Ethernet device (ARPHRD_ETHER, as the .network's Type=ether),
# within link-timeout; then its addresses (the lease, SLAAC, static) within link-timeout again.
end=$(( $(uptime_s) + wait ))
while :; do
	if [ "$want" != '*' ]; then
		[ -e "/sys/class/net/$want" ] && dev=$want
	else
		for type in /sys/class/net/*/type; do
			[ -f "$type" ] && read -r t < "$type" && [ "$t" = 1 ] && { dev=${type%/type}; dev=${dev##*/}; break; }
		done
	fi
	[ -n "$dev" ] && break
	[ "$(uptime_s)" -lt "$end" ] || fail "no device ${want#\*} after ${wait}s"
	sleep 0.2
done
# With IPv4, its address (the lease) is enough, as on the initramfs-tools path; IPv6-only waits for a global one.
case $v4/$v6 in
dhcp/*) family=-4 what="DHCP lease" ;;
static/*) family=-4 what="IPv4 address" ;;
off/slaac) family=-6 what="SLAAC address" ;;
*) family=-6 what="IPv6 address" ;;
esac
online=/usr/lib/systemd/systemd-networkd-wait-online
[ -x "$online" ] || online=/lib/systemd/systemd-networkd-wait-online
"$online" -q --interface="$dev" "$family" --operational-state=routable --timeout="$wait" || fail "no $what on $dev after ${wait}s"

# Resolvers: the configuration's, else (ipv4 = "dhcp") the DHCP server's from networkd's link state, dotted
# quads only (the lease is the host's: never run or sourced, only matched as addresses).
if [ -z "$dns" ] && [ "$v4" = dhcp ] && read -r index < "/sys/class/net/$dev/ifindex"; then
	set -f   # no pathname expansion of the list split below
	while IFS='=' read -r key value; do
		[ "$key" = DNS ] || continue
		for a in $value; do
			case $a in 0.0.0.0 | *.*.*.*.* | *[!0-9.]*) ;; *.*.*.*) dns="$dns $a" ;; esac
		done
	done < "/run/systemd/netif/links/$index"
	set +f
fi
# Name resolution for guestguard-boot (glibc: files, then dns; both built into libc.so.6 since 2.34).
rm -f /etc/nsswitch.conf /etc/hosts /etc/resolv.conf
echo "hosts: files dns" > /etc/nsswitch.conf
printf '127.0.0.1 localhost\n::1 localhost\n%s' "$hosts" > /etc/hosts
{ for a in $dns; do echo "nameserver $a"; done; echo "options timeout:2 attempts:2"; } > /etc/resolv.conf

addresses='' up=''
read -r up _ < /proc/uptime
while read -r _ _ _ address _; do addresses="$addresses $address"; done <<ADDRESSES
$(ip -o address show dev "$dev" scope global)
ADDRESSES
echo "guestguard: network: $dev up (ipv4 $v4, ipv6 $v6${dns:+, dns$dns}) uptime=${up}s"
echo "guestguard: network: $dev addresses${addresses:- none}"
