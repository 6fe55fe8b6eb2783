#!/usr/bin/env bash
# The demo on this machine (no SEV hardware): build guestguard, then show what it detects and the
# posture it reports. Issue "Boot integration" turns this into the full QEMU flow.
set -uo pipefail
cd "$(dirname "$0")/.."
echo "== building guestguard (release, static Swift runtime)"
swift build -c release --static-swift-stdlib 2>&1 | tail -1
bin=.build/release/guestguard
modprobe msr 2>/dev/null || true
echo
echo "== guestguard detect    (which AMD memory-encryption mode is active, and how far each source is trusted)"
$bin detect; echo "(exit $?)"
echo
echo "== guestguard status    (the VM's encryption posture; exit 0 ok, 1 warn, 2 fail)"
$bin status; echo "(exit $?)"
exit 0
