# shellcheck shell=bash
# Issue 17 network boots for tests/vm/run.sh (sourced after lib.sh): the initramfs network comes from the
# measured configuration's [network], never from the command line (every boot here carries a hostile ip=off),
# and the broker is reached by its DNS name, which the TLS check verifies (broker-ca: a tenant CA issued the
# broker's certificate for that name).
#   by-name       IPv4 by DHCP, the name resolved by the configured resolver (the host's loopback, through
#                 QEMU user networking's host alias 10.0.2.2): unlocked, one release
#   by-name-rogue the resolver sends the name to the host's own broker, whose certificate the tenant's CA issued
#                 for another name: the name check refuses it before /attest; power-off, no key
#   ipv6-only     QEMU user networking without IPv4: SLAAC, the name resolved over IPv6 (AAAA): unlocked
#   ipv6-static   IPv6-only again, a static address and gateway, the name from [network] hosts (no DNS at all)
#   ipv4-static   a static IPv4 address and gateway (no DHCP), IPv6 off, the name by the configured resolver
#   net-down      the configuration names a device the guest lacks: power-off after link-timeout-ms, no key, no shell
#   hostile-lease the default network (DHCP) with a lease whose domain name is shell code: the lease reaches the
#                 guest (klibc ipconfig prints it), nothing of it runs (the lease file is never sourced), unlocked
#   dracut-by-name, dracut-ipv6-only  by-name and ipv6-only with the initramfs built by dracut from the package
#                 (systemd-networkd, 00-guestguard.network generated from [network]) and more of the host's network
#                 parameters on the command line (ip=, ifname=, nameserver=, rd.peerdns=, rd.neednet=0, BOOTIF=): ignored
# The resolver: tests/peers/dns_responder.py on port 53 of 127.0.0.1 and ::1 (the guest's 10.0.2.2 and
# $GG_NET6_HOST). Loopback only.

GG_NET_NAME=kbs.guestguard.test
GG_NET6_PREFIX=fd00:6::/64
GG_NET6_HOST=fd00:6::2
GG_NET_HOSTILE="ip=off"

# A tenant CA, the broker's certificate it issued for $GG_NET_NAME (SAN DNS only: no address), and one it
# issued to the host for another name (net-rogue: a CA alone does not make a server the broker; its name does).
gg_net_tls() {
	local dir=$GG_WORK/tls ec=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes)
	[ -e "$dir/net-broker.pem" ] && return 0
	mkdir -p "$dir"
	openssl req -x509 "${ec[@]}" -keyout "$dir/net-ca.key" -out "$dir/net-ca.pem" -days 2 -subj "/CN=guestguard VM test broker CA" \
		-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" 2>/dev/null || gg_die "openssl: the tenant CA"
	local name cert
	for cert in "broker:$GG_NET_NAME" "rogue:rogue.guestguard.test"; do
		name=${cert#*:}; cert=net-${cert%%:*}
		openssl req -new "${ec[@]}" -keyout "$dir/$cert.key" -out "$dir/$cert.csr" -subj "/CN=$name" 2>/dev/null || gg_die "openssl: $cert CSR"
		printf 'subjectAltName=DNS:%s\nextendedKeyUsage=serverAuth\n' "$name" > "$dir/$cert.ext"
		openssl x509 -req -in "$dir/$cert.csr" -CA "$dir/net-ca.pem" -CAkey "$dir/net-ca.key" -CAcreateserial -out "$dir/$cert.pem" \
			-days 2 -extfile "$dir/$cert.ext" 2>/dev/null || gg_die "openssl: $cert certificate"
	done
}

# gg_net_config NAME NETWORK-TABLE: gg_config's boot configuration with the broker by name under the tenant CA
# instead of the pinned address, and the [network] table given, in $GG_WORK/etc/guestguard-NAME.toml.
gg_net_config() {
	local config=$GG_WORK/etc/guestguard-$1.toml
	gg_net_tls
	gg_config "$1"
	sed -i -e "s|^brokers = .*|brokers = [\"https://$GG_NET_NAME:$GG_PORT\"]|" -e "s|^broker-pin = .*|broker-ca = \"$GG_WORK/tls/net-ca.pem\"|" "$config"
	printf '\n%s\n' "$2" >> "$config"
	grep -q "^broker-ca = " "$config" || gg_die "$1: no broker-ca in $config"
}

# gg_net_initramfs NAME NETWORK-TABLE: that configuration baked into $GG_WORK/initrd-NAME.img (initramfs-tools).
gg_net_initramfs() {
	gg_net_config "$1" "$2"
	GG_INITRAMFS_CONFIG=$GG_WORK/etc/guestguard-$1.toml gg_initramfs "$GG_WORK/initrd-$1.img" "$1"
}

# gg_dracut_net_initramfs NAME NETWORK-TABLE: the same, built by dracut in the dracut guest root (tests/vm/guest-root.sh).
gg_dracut_net_initramfs() {
	[ -n "$(gg_guest_deb)" ] || gg_die "dracut boots need guestguard_*.deb (make deb, or GG_DEB=DIR)"
	[ -n "${GG_DRACUT_ROOT:-}" ] || gg_dracut_guest
	gg_net_config "$1" "$2"
	# guestguard-unlock.service has a private /tmp (PrivateTmp=; the module refuses files there): the tenant CA goes
	# to /etc/guestguard/ in the dracut root, where an administrator keeps it.
	install -D -m644 "$GG_WORK/tls/net-ca.pem" "$GG_DRACUT_ROOT/etc/guestguard/net-ca.pem"
	sed -i "s|^broker-ca = .*|broker-ca = \"/etc/guestguard/net-ca.pem\"|" "$GG_WORK/etc/guestguard-$1.toml"
	gg_dracut_initramfs "$GG_WORK/initrd-$1.img" "$1"
	grep -q 'etc/systemd/network/00-guestguard.network' "$GG_WORK/dracut-$1.list" || gg_die "$1: no 00-guestguard.network in the initramfs"
	grep -q 'guestguard-network.service' "$GG_WORK/dracut-$1.list" || gg_die "$1: no guestguard-network.service in the initramfs"
}

# gg_dns_start LISTEN ADDRESS: the resolver on port 53 of the loopback address LISTEN, answering $GG_NET_NAME
# with ADDRESS only (the guest's view of the host: 10.0.2.2 or $GG_NET6_HOST; one family, so that no connection
# ever leaves for an address QEMU would route outside); queries logged to $GG_WORK/dns.log.
gg_dns_start() {
	local _
	: > "$GG_WORK/dns.log"
	python3 "$GG_REPO/tests/peers/dns_responder.py" --listen "$1" --log "$GG_WORK/dns.log" "$GG_NET_NAME=$2" > "$GG_WORK/dns.out" 2>&1 &
	GG_DNS_PID=$!
	for _ in $(seq 50); do grep -q 'listening on' "$GG_WORK/dns.out" && return 0; sleep 0.1; done
	gg_die "the DNS responder did not start (port 53 of $1 taken?): $(cat "$GG_WORK/dns.out")"
}

gg_dns_stop() {
	[ -n "${GG_DNS_PID:-}" ] || return 0
	kill "$GG_DNS_PID" 2>/dev/null || true
	wait "$GG_DNS_PID" 2>/dev/null || true
	GG_DNS_PID=
}

# gg_net_unlocks NAME BROKER-LISTEN DNS-LISTEN QTYPE [netdev options]: a boot of initrd-NAME.img that must
# unlock through the network of its configuration (one release; QTYPE A or AAAA: the resolver's one record;
# with DNS-LISTEN and QTYPE "-" no resolver runs).
gg_net_unlocks() {
	local name=$1 log=$GG_WORK/serial-$1.log audit=$GG_WORK/broker-$1.log
	gg_disk "$GG_WORK/disk.img" "$GG_WORK/disk.key"
	gg_accept_launch "$GG_WORK/accept.toml" "$name" "$GG_WORK/initrd-$name.img" "$GG_NET_HOSTILE"
	gg_broker_data "$GG_WORK/broker" "$GG_WORK/disk.key" "$GG_WORK/accept.toml"
	GG_BROKER_LISTEN=$2 GG_BROKER_CERT=net-broker gg_broker_start "$GG_WORK/broker" "$audit"
	: > "$GG_WORK/dns.log"
	case $4 in A) gg_dns_start "$3" 10.0.2.2 ;; AAAA) gg_dns_start "$3" "$GG_NET6_HOST" ;; esac
	GG_NETDEV_EXTRA=${5:-} gg_boot "$GG_WORK/disk.img" "$GG_WORK/initrd-$name.img" "$log" "$GG_NET_HOSTILE"
	gg_broker_stop
	gg_dns_stop
	[ "$GG_BOOT_RC" = 0 ] || gg_die "$name: qemu exit $GG_BOOT_RC"
	gg_expect "$log" "guestguard: network: eth0 up" "$name"
	gg_expect "$log" "guestguard: /dev/vda unlocked as /dev/mapper/root" "$name"
	gg_expect "$log" "GG-ROOT-MARKER $GG_MARKER" "$name"
	[ "$(gg_releases "$audit")" = 1 ] || gg_die "$name: expected one release, the audit shows $(gg_releases "$audit")"
	gg_expect_no_key "$GG_WORK/disk.key" "$log" "$audit"
	if [ "$3" = - ]; then
		[ ! -s "$GG_WORK/dns.log" ] || gg_die "$name: a DNS query was made: $(cat "$GG_WORK/dns.log")"
	else
		grep -q "^$GG_NET_NAME $4 NOERROR 1" "$GG_WORK/dns.log" || gg_die "$name: the guest did not resolve $GG_NET_NAME ($4) through the configured resolver: $(cat "$GG_WORK/dns.log")"
	fi
}

net_by_name() {
	gg_net_initramfs by-name $'[network]\nipv4 = "dhcp"\ndns = ["10.0.2.2"]'
	gg_net_unlocks by-name "127.0.0.1:$GG_PORT" 127.0.0.1 A
	gg_expect "$GG_WORK/serial-by-name.log" "guestguard: network: eth0 up (ipv4 dhcp, ipv6 slaac, dns 10.0.2.2)" by-name
	gg_log "by-name: PASS (DHCP, https://$GG_NET_NAME resolved by the configured resolver despite '$GG_NET_HOSTILE'; $(grep -m1 'network: eth0 up' "$GG_WORK/serial-by-name.log" | tr -d '\r' | cut -c1-140))"
}

net_by_name_rogue() {
	local log=$GG_WORK/serial-by-name-rogue.log
	[ -e "$GG_WORK/initrd-by-name.img" ] || gg_net_initramfs by-name $'[network]\nipv4 = "dhcp"\ndns = ["10.0.2.2"]'
	# The host's broker (tests/peers/rogue_broker.py) with a certificate from the tenant's own CA, for its own name.
	head -c 64 /dev/urandom > "$GG_WORK/rogue.key"
	: > "$GG_WORK/rogue.log.requests"
	python3 "$GG_REPO/tests/peers/rogue_broker.py" --rogue-key "$GG_WORK/rogue.key" --log "$GG_WORK/rogue.log.requests" --port "$GG_PORT" \
		--cert "$GG_WORK/tls/net-rogue.pem" --key "$GG_WORK/tls/net-rogue.key" > "$GG_WORK/rogue.log" 2>&1 &
	# shellcheck disable=SC2034 # gg_broker_stop (lib.sh) stops it
	GG_BROKER_PID=$!
	local _
	for _ in $(seq 100); do grep -q 'listening on https://' "$GG_WORK/rogue.log" && break; sleep 0.1; done
	gg_disk "$GG_WORK/host.img" "$GG_WORK/rogue.key"
	gg_dns_start 127.0.0.1 10.0.2.2
	gg_boot "$GG_WORK/host.img" "$GG_WORK/initrd-by-name.img" "$log" "$GG_NET_HOSTILE"
	gg_broker_stop
	gg_dns_stop
	gg_expect_poweroff_without_shell "$log" by-name-rogue
	gg_expect "$log" "not the trusted broker" by-name-rogue
	gg_expect "$log" "hostname mismatch" by-name-rogue
	grep -q "^$GG_NET_NAME A NOERROR 1" "$GG_WORK/dns.log" || gg_die "by-name-rogue: the name was not resolved"
	if grep -q '"step": "attest"' "$GG_WORK/rogue.log.requests"; then gg_die "by-name-rogue: the guest attested to the rogue"; fi
	gg_expect_no_key "$GG_WORK/rogue.key" "$log"
	gg_log "by-name-rogue: PASS (the name led to the host's broker; refused before /attest: $(grep -m1 'not the trusted broker' "$log" | tr -d '\r' | cut -c1-160))"
}

net_ipv6_only() {
	gg_net_initramfs ipv6-only "[network]
ipv4 = \"off\"
ipv6 = \"slaac\"
dns = [\"$GG_NET6_HOST\"]"
	gg_net_unlocks ipv6-only "[::1]:$GG_PORT" ::1 AAAA "ipv4=off,ipv6=on,ipv6-net=$GG_NET6_PREFIX"
	gg_expect "$GG_WORK/serial-ipv6-only.log" "guestguard: network: eth0 up (ipv4 off, ipv6 slaac, dns $GG_NET6_HOST)" ipv6-only
	gg_log "ipv6-only: PASS (no IPv4 on the link; SLAAC, AAAA for $GG_NET_NAME; $(grep -m1 'network: eth0 up' "$GG_WORK/serial-ipv6-only.log" | tr -d '\r' | cut -c1-140))"
}

net_ipv6_static() {
	gg_net_initramfs ipv6-static "[network]
interface = \"eth0\"
ipv4 = \"off\"
ipv6 = \"static\"
ipv6-address = \"fd00:6::15/64\"
ipv6-gateway = \"$GG_NET6_HOST\"
hosts = { \"$GG_NET_NAME\" = \"$GG_NET6_HOST\" }"
	gg_net_unlocks ipv6-static "[::1]:$GG_PORT" - - "ipv4=off,ipv6=on,ipv6-net=$GG_NET6_PREFIX"
	gg_expect "$GG_WORK/serial-ipv6-static.log" "guestguard: network: eth0 up (ipv4 off, ipv6 static)" ipv6-static
	gg_log "ipv6-static: PASS (fd00:6::15/64 via $GG_NET6_HOST, $GG_NET_NAME from [network] hosts, no DNS query)"
}

net_ipv4_static() {
	gg_net_initramfs ipv4-static $'[network]\nipv4 = "static"\nipv4-address = "10.0.2.15/24"\nipv4-gateway = "10.0.2.2"\nipv6 = "off"\ndns = ["10.0.2.2"]'
	gg_net_unlocks ipv4-static "127.0.0.1:$GG_PORT" 127.0.0.1 A
	gg_expect "$GG_WORK/serial-ipv4-static.log" "guestguard: network: eth0 up (ipv4 static, ipv6 off, dns 10.0.2.2)" ipv4-static
	gg_log "ipv4-static: PASS (10.0.2.15/24 via 10.0.2.2, no DHCP, IPv6 off, $GG_NET_NAME by the configured resolver)"
}

# The configuration names a device the guest does not have: the network never comes up, power-off, no shell,
# no key requested (and no fallback to the host's ip=, or to any other device).
# shellcheck disable=SC2154 # hostile: run.sh
net_down() {
	local log=$GG_WORK/serial-net-down.log audit=$GG_WORK/broker-net-down.log
	gg_net_initramfs net-down $'[network]\ninterface = "eth9"\nlink-timeout-ms = 3000\ndns = ["10.0.2.2"]'
	gg_disk "$GG_WORK/disk.img" "$GG_WORK/disk.key"
	gg_accept_launch "$GG_WORK/accept.toml" net-down "$GG_WORK/initrd-net-down.img" "$GG_NET_HOSTILE $hostile"
	gg_broker_data "$GG_WORK/broker" "$GG_WORK/disk.key" "$GG_WORK/accept.toml"
	GG_BROKER_LISTEN=127.0.0.1:$GG_PORT GG_BROKER_CERT=net-broker gg_broker_start "$GG_WORK/broker" "$audit"
	gg_boot "$GG_WORK/disk.img" "$GG_WORK/initrd-net-down.img" "$log" "$GG_NET_HOSTILE $hostile"
	gg_broker_stop
	gg_expect_refused_boot "$log" "$audit" net-down
	gg_expect "$log" "guestguard: network: no device eth9 after 3s" net-down
	gg_expect "$log" "the network of the configuration did not come up" net-down
	gg_log "net-down: PASS (no eth9: power-off after the link timeout, no key, no shell despite '$hostile')"
}

# The dracut boots (systemd initrd, systemd-networkd from the 00-guestguard.network the package's module generated from
# [network]): the host's command line asks for another address and gateway (ip=), renames the NIC (ifname=, by its QEMU
# MAC), names a resolver of its own (nameserver=, rd.peerdns=) and says no network is needed (rd.neednet=0); none of it
# may count: the configured network comes up on eth0, and the resolvers written are the configuration's.
GG_DRACUT_NET_HOSTILE="ip=10.0.2.99::10.0.2.1:255.255.255.0::eth0:off ifname=eth9:52:54:00:12:34:56 rd.neednet=0 nameserver=127.0.0.1 rd.peerdns=1 BOOTIF=01-52-54-00-12-34-56"

# gg_dracut_net_expect NAME ADDRESS: the hostile parameters had no effect in serial-NAME.log: the address line of eth0
# starts with ADDRESS (not 10.0.2.99), and systemd-network-generator never ran.
gg_dracut_net_expect() {
	local log=$GG_WORK/serial-$1.log addresses
	addresses=$(grep -a -m1 'guestguard: network: eth0 addresses' "$log" | tr -d '\r') || gg_die "$1: no address line for eth0 (see $log)"
	case $addresses in "guestguard: network: eth0 addresses $2"*) ;; *) gg_die "$1: eth0 has not the configured address: $addresses" ;; esac
	case $addresses in *10.0.2.99*) gg_die "$1: the host's ip= address was configured: $addresses" ;; esac
	gg_refuse "$log" "Generate network units from Kernel command line" "$1"
}

net_dracut_by_name() {
	gg_dracut_net_initramfs dracut-by-name $'[network]\nipv4 = "dhcp"\ndns = ["10.0.2.2"]'
	GG_NET_HOSTILE=$GG_DRACUT_NET_HOSTILE gg_net_unlocks dracut-by-name "127.0.0.1:$GG_PORT" 127.0.0.1 A
	gg_expect "$GG_WORK/serial-dracut-by-name.log" "guestguard: network: eth0 up (ipv4 dhcp, ipv6 slaac, dns 10.0.2.2)" dracut-by-name
	gg_dracut_net_expect dracut-by-name 10.0.2.15/24
	gg_log "dracut-by-name: PASS (systemd initrd, DHCP by systemd-networkd, https://$GG_NET_NAME by the configured resolver despite '$GG_DRACUT_NET_HOSTILE'; $(grep -a -m1 'network: eth0 addresses' "$GG_WORK/serial-dracut-by-name.log" | tr -d '\r' | cut -c1-140))"
}

net_dracut_ipv6_only() {
	gg_dracut_net_initramfs dracut-ipv6-only "[network]
ipv4 = \"off\"
ipv6 = \"slaac\"
dns = [\"$GG_NET6_HOST\"]"
	GG_NET_HOSTILE=$GG_DRACUT_NET_HOSTILE gg_net_unlocks dracut-ipv6-only "[::1]:$GG_PORT" ::1 AAAA "ipv4=off,ipv6=on,ipv6-net=$GG_NET6_PREFIX"
	gg_expect "$GG_WORK/serial-dracut-ipv6-only.log" "guestguard: network: eth0 up (ipv4 off, ipv6 slaac, dns $GG_NET6_HOST)" dracut-ipv6-only
	gg_dracut_net_expect dracut-ipv6-only fd00:6::
	gg_log "dracut-ipv6-only: PASS (systemd initrd, no IPv4 on the link; SLAAC by systemd-networkd, AAAA for $GG_NET_NAME; $(grep -a -m1 'network: eth0 addresses' "$GG_WORK/serial-dracut-ipv6-only.log" | tr -d '\r' | cut -c1-140))"
}

# The host's DHCP server puts shell code in the lease (option 15, the domain name), which klibc ipconfig writes to
# /run/net-eth0.conf; initramfs-tools' configure_networking sources that file, guestguard's local-top never does.
net_hostile_lease() {
	local log=$GG_WORK/serial-hostile-lease.log audit=$GG_WORK/broker-hostile-lease.log payload
	# Runs (and prints GG-EXEC42 on the console) if the file is sourced, whichever quoting ipconfig uses.
	payload="x';echo GG-EXEC\$((6*7)) >/dev/console;'\$(echo GG-EXEC\$((6*7)) >/dev/console)"
	gg_disk "$GG_WORK/disk.img" "$GG_WORK/disk.key"
	gg_accept_launch "$GG_WORK/accept.toml" hostile-lease "$GG_WORK/initrd.img" ""
	gg_broker_data "$GG_WORK/broker" "$GG_WORK/disk.key" "$GG_WORK/accept.toml"
	gg_broker_start "$GG_WORK/broker" "$audit"
	GG_NETDEV_EXTRA="domainname=$payload" gg_boot "$GG_WORK/disk.img" "$GG_WORK/initrd.img" "$log"
	gg_broker_stop
	[ "$GG_BOOT_RC" = 0 ] || gg_die "hostile-lease: qemu exit $GG_BOOT_RC"
	gg_expect "$log" "GG-EXEC\$((6*7))" hostile-lease
	gg_refuse "$log" "GG-EXEC42" hostile-lease
	gg_expect "$log" "GG-ROOT-MARKER $GG_MARKER" hostile-lease
	[ "$(gg_releases "$audit")" = 1 ] || gg_die "hostile-lease: expected one release"
	gg_log "hostile-lease: PASS (the lease's shell code reached the guest and did not run: $(grep -a -m1 'GG-EXEC' "$log" | tr -d '\r' | cut -c1-120))"
}
