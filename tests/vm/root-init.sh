#!/bin/sh
# /sbin/init of the test root filesystem (inside the LUKS2 volume): say where we are and power off.
export PATH=/bin:/sbin:/usr/bin
mount -t proc proc /proc 2>/dev/null
mount -t sysfs sysfs /sys 2>/dev/null
mount -t devtmpfs devtmpfs /dev 2>/dev/null
echo "GG-ROOT-INIT uptime=$(cut -d' ' -f1 /proc/uptime)s"
echo "GG-ROOT-MOUNT $(grep ' / ' /proc/mounts | grep -v rootfs | head -1)"
echo "GG-ROOT-MARKER $(cat /marker.txt)"
if grep -q 'gg.status' /proc/cmdline && [ -x /usr/bin/guestguard ]; then
	echo "GG-STATUS-BEGIN"
	/usr/bin/guestguard status
	echo "GG-STATUS-END exit=$?"
fi
sync
poweroff -f
