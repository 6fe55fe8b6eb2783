import GuestGuardPlatform
import KDSCollateral
import SNPABI

/// Fetching VCEK collateral from AMD's KDS for evidence without a `cert_chain` (docs/broker-kds.md).
public struct BrokerKDS: Sendable {
    public let provider: KDSCollateralProvider
    /// The product of version-2 reports, which do not name it (v3+ reports do, and win).
    public let product: ProcessorGeneration?

    /// A KDS client for `configuration`, caching in `storage`.
    public init(configuration: KDSConfiguration, storage: any BrokerStorage, product: ProcessorGeneration?, clock: any WallClock,
                random: any RandomSource) throws(KDSError)
    {
        let client = try KDSClient(configuration: configuration, clock: clock, random: random)
        self.init(provider: KDSCollateralProvider(client: client, cache: StorageKDSCache(storage: storage), clock: clock), product: product)
    }

    public init(provider: KDSCollateralProvider, product: ProcessorGeneration?) {
        self.provider = provider
        self.product = product
    }
}

/// The broker's store as the KDS cache (files or PostgreSQL).
struct StorageKDSCache: KDSDocumentCache {
    let storage: any BrokerStorage

    func cachedKDSDocument(named name: String) async throws -> [UInt8]? { try await storage.kdsDocument(named: name) }

    func storeKDSDocument(_ bytes: [UInt8], named name: String) async throws { try await storage.storeKDSDocument(bytes, named: name) }
}

extension KeyBrokerService {
    /// The VCEK, ASK, ARK and CRL for `report` from KDS (through the cache). Failures say whether
    /// the guest may retry (KDS or the store down or busy) or not (masked chip, VLEK, 404, garbage,
    /// revoked ASK).
    func kdsCollateral(for report: AttestationReport, using kds: BrokerKDS) async -> Result<VCEKCollateral, KDSError> {
        let identity: VCEKIdentity
        do { identity = try VCEKIdentity(report: report, configuredGeneration: kds.product) } catch { return .failure(.request(error)) }
        do { return .success(try await kds.provider.collateral(for: identity)) } catch {
            metrics.count("kds", error.isRetryable ? "unavailable" : "refused")
            return .failure(error)
        }
    }
}
