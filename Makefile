# guestguard — top-level tasks. Run as root on Debian 12.
#   make demo   build, then show this machine's encryption posture (later: the full QEMU flow)
#   make test   install the build/test packages, then run the whole test suite
SHELL := /bin/bash
SWIFT ?= swift
APT_PACKAGES := libcryptsetup-dev libssl-dev libtss2-dev cryptsetup-bin swtpm swtpm-tools tpm2-tools pkg-config openssl curl
PY_PACKAGES := cryptography jwcrypto rfc8785

.PHONY: deps build release test demo clean

deps:
	@scripts/install-deps.sh $(APT_PACKAGES) -- $(PY_PACKAGES)

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release --static-swift-stdlib --product guestguard
	$(SWIFT) build -c release --static-swift-stdlib --product guestguard-broker

# --no-parallel: several suites block on child processes (the CLI, the broker, python3 peers) and
# on RSA-4096 key generation; on 2 cores that starves Swift's cooperative pool and the loopback
# HTTP tests' event loops. Serial, the whole suite takes about a minute and a half.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --no-parallel

demo: deps
	@scripts/demo.sh

clean:
	rm -rf .build
