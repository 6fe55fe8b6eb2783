import ArgumentParser
import GuestGuardLinux
import KDSCollateral
import KeyBrokerServer
import SNPABI

/// Where `serve` gets VCEKs for evidence without a `cert_chain`: AMD's KDS (default) or a mirror,
/// cached in the store (docs/broker-kds.md).
struct KDSOptions: ParsableArguments {
    @Option(name: .customLong("kds-url"),
            help: ArgumentHelp("Fetch missing VCEKs (with the ASK/ARK chain and AMD's CRL) from this KDS or mirror; \"off\" refuses evidence without cert_chain.",
                               valueName: "URL"))
    var kdsURL: String = KDSConfiguration.amdBaseURL

    @Option(name: .customLong("kds-ca-file"), help: ArgumentHelp("For an https --kds-url: the CA certificates (PEM) its server must chain to.", valueName: "FILE"))
    var kdsCAFile: String = KDSConfiguration.systemCABundle

    @Option(name: .customLong("kds-product"), help: ArgumentHelp("The product (Milan, Genoa, Turin) of version-2 reports, which do not name it.", valueName: "NAME"))
    var kdsProduct: String?

    @Option(name: .customLong("kds-rate"), help: "Requests per second to KDS at most, after a burst of --kds-burst (a 429's Retry-After holds every request).")
    var kdsRate: Double = 2

    @Option(name: .customLong("kds-burst"), help: "Requests to KDS allowed at once.")
    var kdsBurst: Int = 10

    @Option(help: ArgumentHelp("""
        Evidence with its own cert_chain: \"required\" refuses (503, retryable) without a current AMD CRL verified under the chain's ARK; \
        \"best-effort\" (default) uses one when the store (crl import) or KDS has it, and goes on without.
        """, valueName: "MODE"))
    var revocation: String = RevocationMode.bestEffort.rawValue

    var revocationMode: RevocationMode { RevocationMode(rawValue: revocation) ?? .required }

    func validate() throws {
        guard RevocationMode(rawValue: revocation) != nil else { throw ValidationError("--revocation must be required or best-effort, not \(String(reflecting: revocation))") }
        if let kdsProduct, ProcessorGeneration(kdsProductName: kdsProduct) == nil {
            throw ValidationError("--kds-product must be Milan, Genoa or Turin, not \(String(reflecting: kdsProduct))")
        }
        guard kdsRate > 0, kdsRate <= 1_000 else { throw ValidationError("--kds-rate must be above 0 and at most 1000") }
        guard (1...1_000).contains(kdsBurst) else { throw ValidationError("--kds-burst must be 1…1000") }
    }

    /// The broker's KDS source over `storage`, or nil with `--kds-url off`.
    func make(storage: any BrokerStorage) throws -> BrokerKDS? {
        guard kdsURL != "off" else { return nil }
        let configuration = KDSConfiguration(baseURL: kdsURL, caFile: kdsCAFile, burst: kdsBurst, requestsPerSecond: kdsRate)
        do {
            return try BrokerKDS(configuration: configuration, storage: storage, product: kdsProduct.flatMap { ProcessorGeneration(kdsProductName: $0) },
                                 clock: SystemClock(), random: GetrandomSource())
        } catch {
            throw BrokerCLIError(message: "cannot set up fetching VCEKs from KDS (--kds-url off disables it)", causes: ["\(error)"])
        }
    }
}
