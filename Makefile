# guestguard — top-level tasks. Run as root on Debian 12.
#   make demo     build, then boot a QEMU guest that unlocks its LUKS2 root through guestguard (docs/boot.md)
#   make test     install the build/test packages, then run the whole test suite, make deb (and its install/remove test) and the VM boots
#   make vm-test  only the end-to-end VM boots (tests/vm/run.sh; QEMU TCG, about 2 minutes after the build)
#   make deb      the Debian packages guestguard and guestguard-broker in out/deb, then lintian (debian/)
#   make bench    every bench/*.sh (each installs its own peers), then one table of figures and scores
SHELL := /bin/bash
SWIFT ?= swift
APT_PACKAGES := libcryptsetup-dev libssl-dev libtss2-dev nettle-dev libgmp-dev cryptsetup-bin swtpm swtpm-tools tpm2-tools pkg-config openssl curl \
	qemu-system-x86 linux-image-amd64 busybox-static initramfs-tools zstd bc binutils shellcheck ovmf postgresql debootstrap
PY_PACKAGES := cryptography jwcrypto rfc8785 sev-snp-measure==0.0.13

.PHONY: deps build release test fuzz-smoke vm-test shellcheck demo clean deb deb-test bench

deps:
	@scripts/install-deps.sh $(APT_PACKAGES) -- $(PY_PACKAGES)

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release --static-swift-stdlib --product guestguard
	$(SWIFT) build -c release --static-swift-stdlib --product guestguard-boot
	$(SWIFT) build -c release --static-swift-stdlib --product guestguard-broker

# --no-parallel: several suites block on child processes (the CLI, the broker, python3 peers) and
# on RSA-4096 key generation; on 2 cores that starves Swift's cooperative pool and the loopback
# HTTP tests' event loops. Serial, the whole suite takes about a minute and a half.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --no-parallel
	$(MAKE) shellcheck
	$(MAKE) fuzz-smoke
	$(MAKE) deb
	$(MAKE) deb-test
	$(MAKE) vm-test

# Every libFuzzer target (scripts/fuzz.sh --list) for FUZZ_SECONDS each, after its own sanitizer build
# in .build-fuzz; fails on any crash, leak or sanitizer report (docs/fuzzing.md).
FUZZ_SECONDS ?= 10
fuzz-smoke:
	scripts/fuzz.sh --all $(FUZZ_SECONDS)

# The end-to-end boots under QEMU TCG, with the release binaries; the guests are built from out/deb's
# guestguard_*.deb (make deb) with apt, update-initramfs and dracut in cached Debian 12 roots (tests/vm/guest-root.sh).
vm-test: release
	GG_BIN=$(CURDIR)/.build/release GG_DEB=$(CURDIR)/out/deb tests/vm/run.sh

SHELL_SCRIPTS := initramfs/hooks/guestguard initramfs/scripts/local-top/guestguard tests/vm/root-init.sh initramfs/dracut/90guestguard/guestguard-network.sh
BASH_SCRIPTS := scripts/fuzz.sh tests/vm/run.sh tests/vm/lib.sh tests/vm/guest-root.sh initramfs/dracut/90guestguard/module-setup.sh scripts/demo.sh bench/unlock-vs-clevis.sh bench/measure.sh \
	bench/initramfs-size.sh bench/serve-rss.sh
BASH_SCRIPTS += scripts/bench.sh tests/deb/install-test.sh bench/serve.sh bench/lib/serve.sh

shellcheck:
	shellcheck -s sh $(SHELL_SCRIPTS)
	shellcheck -x -s bash -e SC2034,SC2154 $(BASH_SCRIPTS)

# Debian packages (debian/, built by dpkg-buildpackage straight into out/deb with their .buildinfo and
# .changes, not into ..: checkouts side by side would race there; DEB_JOBS=1 builds serially), lintian over
# them: no error, each warning overridden in debian/ with a reason.
DEB_PACKAGES := dpkg-dev debhelper fakeroot lintian
DEB_VERSION = $(shell dpkg-parsechangelog -S Version)
DEB_JOBS ?= auto
DEB_OUT := $(CURDIR)/out/deb
deb:
	@scripts/install-deps.sh $(DEB_PACKAGES) libcryptsetup-dev libssl-dev libtss2-dev nettle-dev libgmp-dev pkg-config
	rm -rf out/deb && mkdir -p out/deb
	DEB_DESTDIR=$(DEB_OUT) dpkg-buildpackage -us -uc -b -j$(DEB_JOBS) \
		--buildinfo-option=-u$(DEB_OUT) --buildinfo-file=$(DEB_OUT)/guestguard_$(DEB_VERSION)_amd64.buildinfo \
		--changes-option=-u$(DEB_OUT) --changes-file=$(DEB_OUT)/guestguard_$(DEB_VERSION)_amd64.changes
	debian/rules clean
	lintian --fail-on error --display-info out/deb/guestguard_$(DEB_VERSION)_amd64.changes

# Every bench/*.sh (each installs its own peers), then one table; BENCH_QUICK=1 for short runs,
# BENCHES="serve verify" for some (scripts/bench.sh; logs in out/bench).
# Its own `deps` first: the release build needs the -dev packages even where `make test` never ran.
bench: deps
	scripts/bench.sh $(BENCHES)

# The packages installed into a throwaway root (never this machine's /): update-initramfs finds the hook (tests/deb).
deb-test:
	tests/deb/install-test.sh out/deb

demo: deps
	@scripts/demo.sh

clean:
	rm -rf .build
