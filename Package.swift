// swift-tools-version:6.0
//
// guestguard: the guest agent and tenant key broker for AMD SEV / SEV-ES / SEV-SNP VMs.
// The module map and the reason for every dependency are in README.md, section "Design".
import PackageDescription

/// Release link of the guest executables (`guestguard-boot` in the initramfs, `guestguard` for `serve`): lld with
/// no exported dynamic symbols (the static Swift runtime's link file asks for -export-dynamic: 1.6 MB of
/// .dynsym/.dynstr, and every symbol lookup of every library walks the executable's hash table), packed relative
/// relocations (DT_RELR, glibc >= 2.36) and libstdc++ linked statically (build-support/static-libstdc++ holds a
/// linker script `libstdc++.so` naming `libstdc++.a`). libgcc_s stays shared: glibc dlopen()s it for
/// pthread_exit anyway. What each step bought: README, "Binary size".
let compactReleaseLink: [LinkerSetting] = [
    .unsafeFlags([
        "-use-ld=lld", "-Xlinker", "--no-export-dynamic", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
        "-Xlinker", "--icf=safe",
        "-Xclang-linker", "-L\(Context.packageDirectory)/build-support/static-libstdc++",
    ], .when(platforms: [.linux], configuration: .release)),
]

/// guestguard-boot's release link: the compact link without DWARF unwind tables (.eh_frame, .eh_frame_hdr: 1.37 MB,
/// 0.47 MB zstd in the initramfs), which nothing in the boot executable uses (why it is safe:
/// build-support/no-unwind-tables/no-unwind-tables.ld), and without the Swift runtime's Unicode scalar-name tables
/// (0.55 MB, 0.32 MB zstd: Sources/guestguard-boot/NoScalarNames.swift). Only the boot executable: `guestguard`
/// keeps both.
let bootReleaseLink: [LinkerSetting] = compactReleaseLink + [
    .unsafeFlags([
        "-Xlinker", "--no-eh-frame-hdr",
        "-Xlinker", "\(Context.packageDirectory)/build-support/no-unwind-tables/no-unwind-tables.ld",
        "-Xlinker", "--defsym=_swift_stdlib_getScalarName=guestguard_boot_no_scalar_name",
    ], .when(platforms: [.linux], configuration: .release)),
]

/// Release builds of the guest-only modules (what `guestguard-boot` links beyond the shared pure and crypto
/// modules) optimise for size: the initramfs pays for every byte, and none of them is on a hot path. The modules
/// on the broker's per-request path (SNPABI, CanonicalJSON, KeyBrokerProtocol, KeyBrokerJWE, GuestGuardCrypto, the
/// HTTP client and TLS) keep `-O`; the two size-optimised ones the broker links too are GuestGuardConfig (policy
/// files, parsed once per text) and GuestGuardLinux (system calls, whose cost is the kernel's). What it bought:
/// README, "Binary size".
let guestSizeOptimized: [SwiftSetting] = [.unsafeFlags(["-Osize"], .when(configuration: .release))]

/// Dependencies point toward the pure modules (SNPABI, SNPPolicy, GuestGuardConfig, CanonicalJSON).
/// Files, unix sockets and processes are touched only by GuestGuardLinux (through swift-system, CGuestGuardLinux and
/// CCryptsetup) and GuestGuardLinuxProcesses (posix_spawn and poll through CGuestGuardLinux); TCP sockets by the two
/// HTTP modules (GuestGuardHTTPClient's blocking client: socket, connect, poll; GuestGuardHTTP through SwiftNIO). The
/// other C modules wrap libraries: GuestGuardCrypto and GuestGuardHTTPClient (COpenSSL, CGuestGuardTLS),
/// AMDCertificateProfile (COpenSSL's X509_CRL), GuestGuardTPM (CTSS2, which dlopen()s tss2). Tests and fuzzing start
/// programs only through ProgramRunner (run to completion) and GuestGuardTestSupport's ChildProcess (long-running, on
/// the same posix_spawn code); test fakes and the bench executables may still open and read files directly.
let package = Package(
    name: "guestguard",
    products: [
        .executable(name: "guestguard", targets: ["guestguard"]),
        // The initramfs carries only this one: boot-unlock and what it needs (README, "Size").
        .executable(name: "guestguard-boot", targets: ["guestguard-boot"]),
        .executable(name: "guestguard-broker", targets: ["guestguard-broker"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        // `guestguard serve`: ServiceGroup runs the HTTP listeners, the posture refresher and the
        // systemd watchdog as one unit and turns SIGTERM into an orderly graceful shutdown. Small,
        // Foundation-free, depends only on swift-log and swift-async-algorithms.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        // `guestguard-broker --store postgres://…` (issue 15): stateless replicas on PostgreSQL. Linked only
        // into the broker (KeyBrokerPostgres), never into the guest's `guestguard`.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
        // DER for the AMD certificate profile (RSASSA-PSS parameters, VCEK/VLEK extension values, the CRL's
        // algorithm fields), in AMDCertificateProfile only: its PEMDocument imports FoundationEssentials, so no
        // module that guestguard-boot links may depend on it. X.509 itself stays on OpenSSL.
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.0"),
        // `/metrics` of the broker and of `guestguard serve` (issues 14/15): one Prometheus renderer,
        // label values escaped, latency histograms. Foundation-free (Atomics + CoreMetrics); never
        // linked into guestguard-boot.
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // GuestGuardLinux's files: FileDescriptor (open with close-on-exec, EINTR retries, pread). Foundation-free.
        .package(url: "https://github.com/apple/swift-system", from: "1.6.0"),
    ],
    targets: [
        // MARK: System libraries (pkg-config, Debian -dev packages)
        .systemLibrary(name: "CCryptsetup", pkgConfig: "libcryptsetup", providers: [.apt(["libcryptsetup-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        // nettle's public-key library (libhogweed) and GMP, for P384ECDSA only (README, "Dependencies").
        .systemLibrary(name: "CNettle", pkgConfig: "hogweed", providers: [.apt(["nettle-dev", "libgmp-dev"])]),
        // tss2-esys/-mu/-rc/-tctildr headers (libtss2-dev); the libraries are dlopen()ed on first use, not linked, so
        // an initramfs without [tpm] carries none of them (Sources/CTSS2/loader.c).
        .target(name: "CTSS2", linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "CGuestGuardLinux"),
        .target(name: "CGuestGuardTLS", dependencies: ["COpenSSL"]),

        // MARK: Pure Swift (no Foundation, no I/O)
        .target(name: "SNPABI"),
        .target(name: "GuestGuardConfig", swiftSettings: guestSizeOptimized),
        .target(name: "CanonicalJSON"),
        .target(name: "SNPPolicy", dependencies: ["SNPABI", "GuestGuardConfig"]),
        .target(name: "KeyBrokerProtocol", dependencies: ["CanonicalJSON", "SNPABI"]),
        .target(name: "LUKS2Policy", dependencies: ["CanonicalJSON", "SNPABI"], swiftSettings: guestSizeOptimized),
        // Expected SEV/SEV-ES/SNP launch digest (`guestguard measure`); SHA-2 is injected
        .target(name: "SNPMeasure", dependencies: ["SNPABI"]),

        // MARK: Crypto and verification (system OpenSSL)
        .target(name: "GuestGuardCrypto", dependencies: ["COpenSSL"]),
        // The AMD certificate profile on top of GuestGuardCrypto's X.509: RSASSA-PSS signature-algorithm checks,
        // VCEK/VLEK extension values, the ARK's CRL. Tenant side and simulator only: never linked into guestguard-boot.
        .target(
            name: "AMDCertificateProfile",
            dependencies: ["GuestGuardCrypto", "COpenSSL", .product(name: "SwiftASN1", package: "swift-asn1")]
        ),
        // The report signature's ECDSA P-384 verify through nettle (about twice OpenSSL 3.0's rate; README,
        // "Dependencies"). Tenant side only: never linked into guestguard-boot.
        .target(name: "P384ECDSA", dependencies: ["CNettle"]),
        .target(name: "SNPVerifier", dependencies: ["SNPABI", "GuestGuardCrypto", "AMDCertificateProfile", "P384ECDSA"]),
        .target(
            name: "KeyBrokerJWE",
            dependencies: ["KeyBrokerProtocol", "CanonicalJSON", "GuestGuardCrypto", "GuestGuardPlatform"]
        ),

        // MARK: VCEK collateral from AMD's KDS (URLs in SNPABI; fetch, checks, cache, single-flight here)
        .target(name: "KDSCollateral", dependencies: ["SNPABI", "GuestGuardCrypto", "AMDCertificateProfile", "GuestGuardHTTP", "GuestGuardPlatform"]),

        // MARK: Appraisal: verifier + trust policy + report policy, for every tenant-side consumer
        .target(name: "GuestGuardAppraisal", dependencies: ["SNPABI", "SNPPolicy", "SNPVerifier", "GuestGuardCrypto", "CanonicalJSON"]),

        // MARK: Tenant key broker (library; the executable wires the HTTP server and the file system)
        .target(
            name: "KeyBrokerServer",
            dependencies: [
                "KeyBrokerProtocol", "KeyBrokerJWE", "GuestGuardAppraisal", "SNPABI", "SNPPolicy", "GuestGuardCrypto", "GuestGuardPlatform",
                "CanonicalJSON", "GuestGuardHTTP", "TPMEvidence", "KDSCollateral", "SNPVerifier", "AMDCertificateProfile",
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),

        // MARK: The broker's PostgreSQL store (only the broker links it)
        .target(
            name: "KeyBrokerPostgres",
            dependencies: [
                "KeyBrokerServer", "KeyBrokerProtocol", "GuestGuardCrypto", "GuestGuardPlatform", "SNPABI", "CanonicalJSON",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // MARK: Guest-side KBS client (transport-agnostic RCAR; the executable wires HTTP)
        .target(
            name: "KeyBrokerClient",
            dependencies: ["KeyBrokerProtocol", "KeyBrokerJWE", "GuestGuardPlatform", "GuestGuardCrypto", "SNPABI", "CanonicalJSON", "GuestGuardHTTPClient"],
            swiftSettings: guestSizeOptimized
        ),

        // MARK: Simulated AMD secure processor (tests and demos; used only when configured)
        .target(name: "SNPSimulator", dependencies: ["SNPABI", "GuestGuardCrypto", "AMDCertificateProfile", "GuestGuardPlatform", "GuestGuardConfig", "SNPVerifier", "P384ECDSA"]),

        // MARK: HTTP/1.1 (+TLS over the system OpenSSL)
        // Messages, TLS contexts and the one blocking HTTP client (poll deadlines, no event loop): all that
        // guestguard-boot links, so the initramfs carries no SwiftNIO (README, "Binary size").
        .target(name: "GuestGuardHTTPClient", dependencies: ["COpenSSL", "CGuestGuardTLS", "SNPABI", "GuestGuardCrypto", "GuestGuardPlatform", "GuestGuardLinux"]),
        // The servers of the broker and the daemon on SwiftNIO; re-exports GuestGuardHTTPClient.
        .target(
            name: "GuestGuardHTTP",
            dependencies: [
                "GuestGuardHTTPClient", "COpenSSL", "CGuestGuardTLS", "GuestGuardPlatform", "GuestGuardLinux", "SNPABI", "GuestGuardCrypto",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // MARK: OS access: protocols, then the Linux implementations
        .target(name: "GuestGuardPlatform", dependencies: ["SNPABI"]),
        // vTPM over tss2-esys (docs/tpm.md); ESYS stays inside this target
        .target(name: "GuestGuardTPM", dependencies: ["GuestGuardPlatform", "CTSS2"], swiftSettings: guestSizeOptimized),
        // TPM2 quote parsing and verification (TPMS_ATTEST, TPMT_PUBLIC, TPMT_SIGNATURE); no ESYS
        .target(name: "TPMEvidence", dependencies: ["GuestGuardCrypto"]),
        .target(
            name: "GuestGuardLinux",
            dependencies: [
                "GuestGuardPlatform", "SNPABI", "CGuestGuardLinux", "CCryptsetup",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: guestSizeOptimized
        ),
        // The one process runner (synchronous posix_spawn + poll, no Swift concurrency inside) and systemctl: for `deny`,
        // `status` and `serve`, never linked into guestguard-boot, which runs no program.
        .target(name: "GuestGuardLinuxProcesses", dependencies: ["GuestGuardLinux", "GuestGuardPlatform", "CGuestGuardLinux"]),

        // MARK: Use cases
        // Which memory encryption is active, from CPUID, SEV_STATUS and kernel evidence (`detect`, posture).
        // Never linked into guestguard-boot: boot-unlock decides nothing from what the host can fake.
        .target(name: "GuestGuardDetection", dependencies: ["SNPABI", "GuestGuardPlatform", "CanonicalJSON"]),
        // Unlock and boot (what the initramfs needs).
        .target(
            name: "GuestGuardCore",
            dependencies: [
                "SNPABI", "GuestGuardPlatform", "CanonicalJSON", "LUKS2Policy", "GuestGuardConfig",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: guestSizeOptimized
        ),
        // Posture items and the deny engine (`status`, `serve`, `deny`): never linked into guestguard-boot.
        .target(
            name: "GuestGuardPosture",
            dependencies: [
                "GuestGuardCore", "GuestGuardDetection", "SNPABI", "GuestGuardPlatform", "CanonicalJSON", "GuestGuardConfig",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // MARK: Posture service (`guestguard serve`): endpoints, attestation binding, sd_notify, metrics
        .target(
            name: "PostureService",
            dependencies: [
                "GuestGuardCore", "GuestGuardPosture", "GuestGuardHTTP", "GuestGuardPlatform", "GuestGuardLinux", "GuestGuardCrypto", "GuestGuardAppraisal", "CanonicalJSON", "SNPABI",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // MARK: Boot orchestration: `boot-unlock` (options, retries, power-off, TPM measurement) and the one broker-key path.
        // Shared by both guest executables; links no server (no SwiftNIO), deny engine, tenant-side verifier, simulator or
        // ArgumentParser (which links FoundationEssentials for its JSON help dump: 3+ MB in the initramfs).
        .target(
            name: "GuestGuardBoot",
            dependencies: [
                "GuestGuardCore", "GuestGuardLinux", "GuestGuardPlatform", "GuestGuardConfig", "GuestGuardCrypto", "GuestGuardHTTPClient",
                "GuestGuardTPM", "KeyBrokerClient", "KeyBrokerJWE", "SNPABI", "CGuestGuardLinux",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: guestSizeOptimized
        ),

        // MARK: Executables (the only place that wires real implementations)
        // The initramfs' executable: `guestguard-boot [boot-unlock] --config FILE`.
        .executableTarget(name: "guestguard-boot", dependencies: ["GuestGuardBoot", "CGuestGuardBootStubs"], swiftSettings: guestSizeOptimized, linkerSettings: bootReleaseLink),
        // Release only: stand-ins for the concurrency entry points swift-log's task-local logger names (no-task-local-logger.c).
        .target(name: "CGuestGuardBootStubs", cSettings: [.define("GG_BOOT_RELEASE", .when(configuration: .release))]),
        .executableTarget(
            name: "guestguard",
            dependencies: [
                "GuestGuardBoot", "GuestGuardCore", "GuestGuardDetection", "GuestGuardPosture", "GuestGuardLinux", "GuestGuardPlatform", "SNPABI", "CanonicalJSON",
                "SNPSimulator", "GuestGuardCrypto", "GuestGuardAppraisal", "SNPPolicy", "SNPVerifier",
                "KeyBrokerClient", "KeyBrokerJWE", "GuestGuardHTTP", "CGuestGuardLinux", "PostureService", "GuestGuardTPM",
                "SNPMeasure", "KDSCollateral", "GuestGuardLinuxProcesses",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            linkerSettings: compactReleaseLink
        ),

        // MARK: Fuzzing (docs/fuzzing.md): one libFuzzer executable, one target per parser (GG_FUZZ_TARGET)
        .executableTarget(
            name: "GuestGuardFuzz",
            dependencies: [
                "SNPABI", "CanonicalJSON", "KeyBrokerProtocol", "KeyBrokerJWE", "GuestGuardCrypto", "AMDCertificateProfile", "GuestGuardHTTP",
                "LUKS2Policy", "GuestGuardConfig", "SNPPolicy", "GuestGuardCore", "GuestGuardPosture", "TPMEvidence", "GuestGuardTestSupport",
                "P384ECDSA",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // MARK: Benchmarks (bench/*.sh only; never part of a product)
        .executableTarget(name: "snp-verify-bench", dependencies: ["SNPVerifier", "SNPABI", "GuestGuardCrypto", "P384ECDSA"]),

        .executableTarget(
            name: "guestguard-broker",
            dependencies: [
                "KeyBrokerServer", "KeyBrokerPostgres", "GuestGuardHTTP", "GuestGuardLinux", "GuestGuardPlatform", "KDSCollateral", "SNPABI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        .executableTarget(
            name: "kbs-handshake-bench",
            dependencies: ["KeyBrokerClient", "KeyBrokerJWE", "SNPSimulator", "GuestGuardHTTP", "GuestGuardLinux", "GuestGuardPlatform"]
        ),

        // MARK: Test support (fakes; never linked into a product)
        .target(
            name: "GuestGuardTestSupport",
            dependencies: ["GuestGuardPlatform", "GuestGuardLinux", "GuestGuardLinuxProcesses", "SNPABI", "GuestGuardCrypto", "P384ECDSA"]
        ),

        .target(
            name: "KeyBrokerTestSupport",
            dependencies: ["KeyBrokerServer", "KeyBrokerProtocol", "SNPSimulator", "SNPABI", "GuestGuardCrypto", "GuestGuardLinux",
                           "GuestGuardPlatform", "GuestGuardTestSupport", "CanonicalJSON", "GuestGuardHTTP", "KDSCollateral",
                           .product(name: "Logging", package: "swift-log")]
        ),

        // A real PostgreSQL for tests (initdb/pg_ctl in a temporary directory) and the store parameter.
        .target(
            name: "KeyBrokerPostgresTestSupport",
            dependencies: ["KeyBrokerPostgres", "KeyBrokerServer", "KeyBrokerTestSupport", "SNPSimulator", "GuestGuardLinux", "GuestGuardLinuxProcesses", "GuestGuardPlatform"]
        ),

        // MARK: Tests
        .testTarget(name: "SNPABITests", dependencies: ["SNPABI"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SNPMeasureTests", dependencies: ["SNPMeasure", "SNPABI", "GuestGuardCrypto", "GuestGuardTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "CanonicalJSONTests", dependencies: ["CanonicalJSON", "GuestGuardTestSupport"]),
        .testTarget(name: "GuestGuardConfigTests", dependencies: ["GuestGuardConfig", "GuestGuardLinuxProcesses"]),
        .testTarget(
            name: "SNPPolicyTests",
            dependencies: ["SNPPolicy", "SNPABI", "GuestGuardConfig"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "GuestGuardCryptoTests", dependencies: ["GuestGuardCrypto", "AMDCertificateProfile", "GuestGuardTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "SNPVerifierTests",
            dependencies: ["SNPVerifier", "SNPABI", "GuestGuardCrypto", "AMDCertificateProfile", "P384ECDSA", "GuestGuardTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "KeyBrokerProtocolTests",
            dependencies: ["KeyBrokerProtocol", "CanonicalJSON", "SNPABI", "COpenSSL"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "KeyBrokerJWETests",
            dependencies: ["KeyBrokerJWE", "GuestGuardTestSupport", "KeyBrokerProtocol", "CanonicalJSON", "GuestGuardCrypto", "GuestGuardPlatform"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "GuestGuardCoreTests",
            dependencies: ["GuestGuardCore", "GuestGuardDetection", "GuestGuardPosture", "GuestGuardTestSupport", "GuestGuardPlatform", "GuestGuardLinux", "GuestGuardLinuxProcesses", "GuestGuardConfig", "SNPABI", "CanonicalJSON"]
        ),
        .testTarget(
            name: "GuestGuardLinuxTests",
            dependencies: [
                "GuestGuardLinux", "GuestGuardLinuxProcesses", "GuestGuardPlatform", "GuestGuardTestSupport", "CGuestGuardLinux", "SNPABI",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "SNPSimulatorTests",
            dependencies: ["SNPSimulator", "SNPABI", "GuestGuardCrypto", "GuestGuardLinux", "GuestGuardPlatform", "GuestGuardTestSupport"]
        ),
        .testTarget(
            name: "KeyBrokerServerTests",
            dependencies: ["KeyBrokerTestSupport", "KeyBrokerPostgresTestSupport", "KeyBrokerServer", "KeyBrokerProtocol", "SNPSimulator", "SNPABI", "GuestGuardCrypto", "GuestGuardLinux",
                           "GuestGuardPlatform", "GuestGuardTestSupport", "CanonicalJSON", "KDSCollateral", "KeyBrokerClient"]
        ),
        .testTarget(
            name: "KeyBrokerPostgresTests",
            dependencies: ["KeyBrokerPostgres", "KeyBrokerPostgresTestSupport", "KeyBrokerTestSupport", "KeyBrokerServer", "KeyBrokerProtocol",
                           "KeyBrokerClient", "KeyBrokerJWE", "SNPSimulator",
                           "GuestGuardLinux", "GuestGuardPlatform", "GuestGuardTestSupport", "CanonicalJSON", "SNPABI"]
        ),
        .testTarget(
            name: "KeyBrokerClientTests",
            dependencies: ["KeyBrokerTestSupport", "KeyBrokerPostgresTestSupport", "KeyBrokerClient", "KeyBrokerServer", "KeyBrokerJWE", "KeyBrokerProtocol", "SNPSimulator", "SNPABI", "GuestGuardCrypto",
                           "GuestGuardLinux", "GuestGuardLinuxProcesses", "GuestGuardPlatform", "GuestGuardTestSupport", "CanonicalJSON", "GuestGuardHTTP",
                           .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "KDSCollateralTests",
            dependencies: ["KDSCollateral", "SNPABI", "GuestGuardCrypto", "GuestGuardHTTP", "GuestGuardLinux", "GuestGuardPlatform",
                           "KeyBrokerTestSupport", "SNPSimulator", "GuestGuardTestSupport", "GuestGuardLinuxProcesses"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "GuestGuardHTTPTests",
            dependencies: [
                "GuestGuardHTTP", "GuestGuardCrypto", "GuestGuardLinuxProcesses", "GuestGuardTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "LUKS2PolicyTests",
            dependencies: [
                "LUKS2Policy", "CanonicalJSON", "GuestGuardLinux", "GuestGuardPlatform", "GuestGuardTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "GuestGuardUnlockTests",
            dependencies: ["GuestGuardCore", "GuestGuardLinux", "GuestGuardPlatform", "GuestGuardTestSupport", "KeyBrokerClient", "KeyBrokerJWE",
                           "KeyBrokerServer", "KeyBrokerTestSupport", "SNPSimulator", .product(name: "Logging", package: "swift-log"),
                           .product(name: "InMemoryLogging", package: "swift-log")]
        ),
        .testTarget(
            name: "PostureServiceTests",
            dependencies: [
                "PostureService", "GuestGuardCore", "GuestGuardDetection", "GuestGuardPosture", "GuestGuardHTTP", "GuestGuardPlatform", "GuestGuardLinux", "GuestGuardTestSupport",
                "KeyBrokerTestSupport", "SNPSimulator", "GuestGuardAppraisal", "GuestGuardCrypto", "CanonicalJSON", "SNPABI",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "GuestGuardBootTests", dependencies: ["GuestGuardCore", "GuestGuardPlatform", "GuestGuardConfig", "GuestGuardTestSupport"]),
        .testTarget(
            name: "GuestGuardTPMTests",
            dependencies: ["GuestGuardTPM", "TPMEvidence", "GuestGuardPlatform", "GuestGuardCrypto", "GuestGuardTestSupport", "GuestGuardCore", "GuestGuardDetection", "GuestGuardPosture",
                           "KeyBrokerClient", "KeyBrokerServer", "KeyBrokerProtocol", "KeyBrokerTestSupport", "KeyBrokerPostgresTestSupport", "KeyBrokerJWE", "SNPSimulator",
                           "GuestGuardLinux", "CanonicalJSON", "SNPABI"]
        ),
        .testTarget(
            name: "GuestGuardCLITests",
            dependencies: ["GuestGuardTestSupport", "KeyBrokerPostgresTestSupport", "guestguard", "guestguard-boot", "guestguard-broker", "KeyBrokerTestSupport",
                           "KDSCollateral", "SNPABI", "GuestGuardLinux", "GuestGuardLinuxProcesses"],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
