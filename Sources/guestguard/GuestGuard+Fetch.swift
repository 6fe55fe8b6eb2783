import ArgumentParser
import GuestGuardBoot
import GuestGuardLinux
import KDSCollateral
import SNPABI

extension GuestGuard {
    /// `guestguard fetch vcek|ca|crl`: AMD's KDS collateral for tenants (docs/broker-kds.md).
    struct Fetch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fetch a VCEK, the ASK/ARK chain or the CRL from AMD's KDS (or a mirror), checked.",
            discussion: """
                vcek: for a report file (its CHIP_ID, REPORTED_TCB and product) or --product/--chip-id/--reported-tcb; \
                the VCEK is checked against the requested chip and TCB, its ASK and ARK, and the ASK against AMD's CRL \
                (DER output). ca: the ASK then the ARK (PEM), each signature checked. crl: the product's CRL, checked \
                under its ARK (DER). Whether the ARK is AMD's is for `guestguard verify` to decide.
                """,
            subcommands: [VCEK.self, CA.self, CRL.self]
        )
    }
}

/// Options every `fetch` subcommand shares.
struct FetchOptions: ParsableArguments {
    @Option(name: .customLong("kds-url"), help: ArgumentHelp("The KDS or a mirror.", valueName: "URL"))
    var kdsURL: String = KDSConfiguration.amdBaseURL

    @Option(name: .customLong("kds-ca-file"), help: ArgumentHelp("For an https --kds-url: the CA certificates (PEM) its server must chain to.", valueName: "FILE"))
    var kdsCAFile: String = KDSConfiguration.systemCABundle

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write here instead of standard output.", valueName: "FILE"))
    var output: String?

    func provider() throws -> KDSCollateralProvider {
        let configuration = KDSConfiguration(baseURL: kdsURL, caFile: kdsCAFile)
        do {
            return KDSCollateralProvider(client: try KDSClient(configuration: configuration, clock: SystemClock(), random: GetrandomSource()),
                                         cache: nil, clock: SystemClock())
        } catch { throw CLIError(message: "cannot reach KDS", causes: ["\(error)"]) }
    }

    func emit(_ bytes: [UInt8]) throws {
        if let output { return try CLIFiles.write(output, bytes) }
        do { try OutputDescriptor.standardOutput.writeAll(bytes) } catch { throw CLIError(message: "cannot write to standard output", causes: ["\(error)"]) }
    }

    static func product(_ name: String) throws -> ProcessorGeneration {
        guard let generation = ProcessorGeneration(kdsProductName: name) else { throw ValidationError("--product must be Milan, Genoa or Turin, not \(String(reflecting: name))") }
        return generation
    }

    /// Runs a fetch, turning a KDS failure into `error: … because: …`.
    static func fetching<T>(_ what: String, _ body: () async throws(KDSError) -> T) async throws -> T {
        do { return try await body() } catch { throw CLIError(message: "cannot fetch \(what)", causes: ["\(error)"]) }
    }
}

extension GuestGuard.Fetch {
    struct VCEK: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "vcek", abstract: "Fetch the VCEK of a report, or of a chip at a TCB (DER).")

        @Argument(help: "A raw report (0x4A0 bytes); or give --product, --chip-id and --reported-tcb.")
        var report: String?

        @Option(help: "Milan, Genoa or Turin (a version-2 report does not say).")
        var product: String?

        @Option(name: .customLong("chip-id"), help: ArgumentHelp("CHIP_ID in hex (64 bytes; on Turin 8).", valueName: "HEX"))
        var chipID: String?

        @Option(name: .customLong("reported-tcb"), help: ArgumentHelp("REPORTED_TCB as the report's 64-bit value in hex (e.g. 0x4405000000000002).", valueName: "HEX"))
        var reportedTCB: String?

        @OptionGroup var options: FetchOptions

        func validate() throws {
            if report == nil {
                guard product != nil, chipID != nil, reportedTCB != nil else { throw ValidationError("give a report file, or --product, --chip-id and --reported-tcb") }
            } else {
                guard chipID == nil, reportedTCB == nil else { throw ValidationError("--chip-id and --reported-tcb come from the report; give one or the other") }
            }
        }

        func run() async throws {
            let configured = try product.map(FetchOptions.product)
            let identity: VCEKIdentity
            do {
                if let report {
                    let parsed: AttestationReport
                    do { parsed = try AttestationReport(bytes: try CLIFiles.read(report, option: "report", limit: 64 * 1024), generationHint: configured) } catch let error as CLIError {
                        throw error
                    } catch { throw CLIError(message: "report \(report)", causes: ["\(error)"]) }
                    identity = try VCEKIdentity(report: parsed, configuredGeneration: configured)
                } else {
                    let tcbBytes = try HexArgument.decode(reportedTCB!, option: "--reported-tcb", count: 8...8)
                    let raw = tcbBytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                    identity = try VCEKIdentity(generation: configured!, chipID: try HexArgument.decode(chipID!, option: "--chip-id", count: 8...64), reportedTCB: raw)
                }
            } catch let error as KDSRequestError {
                throw CLIError(message: "no VCEK can be named", causes: ["\(error)"])
            }
            let provider = try options.provider()
            let collateral = try await FetchOptions.fetching("the VCEK") { () async throws(KDSError) in try await provider.collateral(for: identity) }
            try options.emit(collateral.vcek.derBytes)
        }
    }

    struct CA: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ca", abstract: "Fetch a product's ASK and ARK (PEM, ASK first).")

        @OptionGroup var options: ProductFetchOptions

        func run() async throws {
            try await options.fetch("chain") { (provider, generation) async throws(KDSError) -> [UInt8] in
                let chain = try await provider.certificateChain(generation)
                do { return Array((try chain.ask.pemEncoded() + chain.ark.pemEncoded()).utf8) } catch {
                    throw .malformed(.certificateChain(generation), reason: "cannot encode it as PEM: \(error)")
                }
            }
        }
    }

    struct CRL: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "crl", abstract: "Fetch a product's CRL, checked under its ARK (DER).")

        @OptionGroup var options: ProductFetchOptions

        func run() async throws {
            try await options.fetch("CRL") { (provider, generation) async throws(KDSError) -> [UInt8] in
                try await provider.revocationList(generation, ark: try await provider.certificateChain(generation).ark).derBytes
            }
        }
    }
}

/// `fetch ca` and `fetch crl`: a product and the shared options.
struct ProductFetchOptions: ParsableArguments {
    @Option(help: "Milan, Genoa or Turin.")
    var product: String

    @OptionGroup var options: FetchOptions

    /// Fetches the product's `what` with `body` and writes it out.
    func fetch(_ what: String, _ body: (KDSCollateralProvider, ProcessorGeneration) async throws(KDSError) -> [UInt8]) async throws {
        let generation = try FetchOptions.product(product)
        let provider = try options.provider()
        let bytes = try await FetchOptions.fetching("the \(product) \(what)") { () async throws(KDSError) in try await body(provider, generation) }
        try options.emit(bytes)
    }
}
