#!/bin/sh
# /sbin/init of the test root filesystem (inside the LUKS2 volume): say where we are and power off.
export PATH=/bin:/sbin:/usr/bin
mount -t proc proc /proc 2>/dev/null
mount -t sysfs sysfs /sys 2>/dev/null
mount -t devtmpfs devtmpfs /dev 2>/dev/null
echo "GG-ROOT-INIT uptime=$(cut -d' ' -f1 /proc/uptime)s"
echo "GG-ROOT-MOUNT $(grep ' / ' /proc/mounts | grep -v rootfs | head -1)"
echo "GG-ROOT-MARKER $(cat /marker.txt)"
# TRIM through the root mapping (0: none; dm-crypt passes it only with allow_discards) and on the disk below.
echo "GG-ROOT-DISCARD dm=$(cat /sys/block/dm-0/queue/discard_max_bytes 2>/dev/null) disk=$(cat /sys/block/vda/queue/discard_max_bytes 2>/dev/null)"
if grep -q 'gg.status' /proc/cmdline && [ -x /usr/bin/guestguard ]; then
	echo "GG-STATUS-BEGIN"
	/usr/bin/guestguard status
	echo "GG-STATUS-END exit=$?"
fi
if grep -q 'gg.serve' /proc/cmdline && [ -x /usr/bin/guestguard ]; then
	# The posture service, for the tenant on the host (hostfwd to :8787). NOT FOR PRODUCTION: the simulated
	# AMD-SP, on the host (its keys are not in this image).
	mount -t tmpfs tmpfs /tmp 2>/dev/null   # the root is mounted read-only
	mount -t tmpfs tmpfs /run 2>/dev/null
	/usr/bin/guestguard serve --simulator-port /dev/virtio-ports/org.guestguard.snp-sim --listen 0.0.0.0:8787 --socket "" > /tmp/serve.log 2>&1 &
	echo "GG-SERVE-STARTED"
	# Stay up for the tenant: the host test quits QEMU through its monitor once it has verified
	# the posture; 150 s is the fallback.
	sleep 150
	echo "GG-SERVE-DONE (fallback timeout: the host never quit)"
	head -c 2000 /tmp/serve.log
fi
sync
poweroff -f
