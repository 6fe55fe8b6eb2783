import AMDCertificateProfile
import GuestGuardCrypto
import GuestGuardPlatform
import KDSCollateral
import SNPABI
import SNPVerifier

/// Fetching VCEK collateral from AMD's KDS for evidence without a `cert_chain` (docs/broker-kds.md).
public struct BrokerKDS: Sendable {
    public let provider: KDSCollateralProvider
    /// The product of version-2 reports, which do not name it (v3+ reports do, and win).
    public let product: ProcessorGeneration?
    /// The SHA-256 of each ARK whose CRL this KDS serves: AMD's pinned ARKs (KDS is AMD's), and
    /// the roots a mirror or a test stand-in serves besides (`revocationIssuers`). Evidence whose
    /// own `cert_chain` ends in another root never sends the broker to KDS for a CRL.
    public let revocationIssuers: Set<[UInt8]>

    /// A KDS client for `configuration`, caching in `storage`.
    public init(configuration: KDSConfiguration, storage: any BrokerStorage, product: ProcessorGeneration?, clock: any WallClock,
                random: any RandomSource, revocationIssuers: [X509Certificate] = []) throws(KDSError)
    {
        let client = try KDSClient(configuration: configuration, clock: clock, random: random)
        self.init(provider: KDSCollateralProvider(client: client, cache: StorageKDSCache(storage: storage), clock: clock), product: product,
                  revocationIssuers: revocationIssuers)
    }

    public init(provider: KDSCollateralProvider, product: ProcessorGeneration?, revocationIssuers: [X509Certificate] = []) {
        self.provider = provider
        self.product = product
        let amd = ((try? AMDRootCertificates.trustStore().roots) ?? []).map(\.ark.sha256Fingerprint)
        self.revocationIssuers = Set(amd + revocationIssuers.map(\.sha256Fingerprint))
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
