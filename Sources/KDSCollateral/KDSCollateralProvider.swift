import AMDCertificateProfile
import GuestGuardCrypto
import GuestGuardPlatform
import SNPABI
import Synchronization

/// VCEK collateral for reports that came without certificates: from memory, else from the
/// cache (the broker's store, so a restarted broker or another replica does not ask again), else
/// from KDS — one request in flight per document however many handshakes want it. A VCEK is named
/// by (product, hwid, TCB) and never changes; the ASK/ARK chain is kept as long as it verifies;
/// the CRL is kept until its nextUpdate and then fetched again (no current CRL, no collateral).
public final class KDSCollateralProvider: Sendable {
    public let client: KDSClient
    let cache: (any KDSDocumentCache)?
    let clock: any WallClock
    private let flights = SingleFlight()
    /// Checked documents by cache name (at most ``memoryCapacity``; cleared whole when full).
    private let memory = Mutex<[String: any Sendable]>([:])
    static let memoryCapacity = 4_096

    public init(client: KDSClient, cache: (any KDSDocumentCache)?, clock: any WallClock) {
        self.client = client
        self.cache = cache
        self.clock = clock
    }

    /// The checked VCEK, chain and CRL for `identity` (see ``VCEKCollateral``).
    public func collateral(for identity: VCEKIdentity) async throws(KDSError) -> VCEKCollateral {
        let generation = identity.generation
        let chain = try await certificateChain(generation)
        let vcek = try await vcek(for: identity, issuedBy: chain.ask)
        let list = try await revocationList(generation, ark: chain.ark)
        guard !list.revokes(chain.ask) else {
            throw .revoked(certificate: chain.ask.subjectCommonName ?? "the ASK", by: chain.ark.subjectCommonName ?? "the ARK")
        }
        return VCEKCollateral(identity: identity, vcek: vcek, ask: chain.ask, ark: chain.ark, revocationList: list)
    }

    /// The VCEK of `identity`, checked against the chip, the TCB and `ask`'s signature.
    public func vcek(for identity: VCEKIdentity, issuedBy ask: X509Certificate) async throws(KDSError) -> X509Certificate {
        try await checked(.vcek(identity)) { bytes throws(KDSError) in
            let vcek = try KDSDocumentCheck.vcek(bytes, identity)
            try KDSDocumentCheck.issuance(of: vcek, by: ask, identity)
            return vcek
        }
    }

    /// The checked ASK and ARK of `generation`.
    public func certificateChain(_ generation: ProcessorGeneration) async throws(KDSError) -> (ask: X509Certificate, ark: X509Certificate) {
        let chain = try await checked(.certificateChain(generation)) { bytes throws(KDSError) in
            let (ask, ark) = try KDSDocumentCheck.chain(bytes, generation)
            return ChainPair(ask: ask, ark: ark)
        }
        return (chain.ask, chain.ark)
    }

    /// The product's CRL, verified under `ark` and current now; fetched again once past its
    /// nextUpdate. A fetched list older than the one held is refused and not cached
    /// (``KDSError/revocationRollback(_:held:offered:)``).
    public func revocationList(_ generation: ProcessorGeneration, ark: X509Certificate) async throws(KDSError) -> X509RevocationList {
        let document = KDSDocument.revocationList(generation)
        let check = { @Sendable (bytes: [UInt8]) throws(KDSError) -> X509RevocationList in
            try KDSDocumentCheck.revocationList(bytes, generation, ark: ark)
        }
        let time = clock.now().seconds
        let known = try await checked(document, check)
        if known.isCurrent(at: time) { return known }
        // The cache may hold a newer list than this process (another replica fetched one, a tenant
        // imported one); KDS's answer must not be older than either: a rollback would un-revoke.
        var held = known
        if let cache, let bytes = try await readCache(cache, document.cacheName), let stored = try? check(bytes), held.version.isOlder(than: stored.version) {
            held = stored
            remember(document.cacheName, stored)
            if stored.isCurrent(at: time) { return stored }
        }
        let fresh = try await checked(document, refresh: true) { [held] bytes throws(KDSError) in
            let list = try check(bytes)
            try KDSDocumentCheck.revocationList(list, replacing: held, generation)
            return list
        }
        guard fresh.isCurrent(at: time) else {
            throw .revocationUnverifiable(reason: "the \(document) from KDS is not current (thisUpdate \(fresh.thisUpdate), nextUpdate \(fresh.nextUpdate.map(String.init) ?? "none"), now \(time))")
        }
        return fresh
    }

    /// `document`, checked by `check`: from memory, the cache or KDS (skipping memory and cache
    /// when `refresh`). Only checked bytes are cached. One lookup in flight per document.
    func checked<Value: Sendable>(
        _ document: KDSDocument, refresh: Bool = false, _ check: @escaping @Sendable ([UInt8]) throws(KDSError) -> Value
    ) async throws(KDSError) -> Value {
        let name = document.cacheName
        if !refresh, let known = memory.withLock({ $0[name] }) as? Value { return known }
        let outcome: any Sendable
        do {
            outcome = try await flights.run(name + (refresh ? "#refresh" : "")) { [self] in
                if !refresh, let known = memory.withLock({ $0[name] }) as? Value { return known }
                if !refresh, let cache, let stored = try await readCache(cache, name), let value = try? check(stored) {
                    remember(name, value)
                    return value
                }
                let bytes = try await client.fetch(document)
                let value = try check(bytes)
                if let cache { try? await cache.storeKDSDocument(bytes, named: name) }
                remember(name, value)
                return value
            }
        } catch let error as KDSError {
            throw error
        } catch {
            throw .cache(reason: "\(error)")
        }
        guard let value = outcome as? Value else { throw .cache(reason: "\(name): unexpected cached type") }
        return value
    }

    private func readCache(_ cache: any KDSDocumentCache, _ name: String) async throws(KDSError) -> [UInt8]? {
        do { return try await cache.cachedKDSDocument(named: name) } catch { throw .cache(reason: "reading \(name): \(error)") }
    }

    private func remember(_ name: String, _ value: any Sendable) {
        memory.withLock { table in
            if table.count >= Self.memoryCapacity { table.removeAll() }
            table[name] = value
        }
    }
}

/// The ASK and ARK as one cacheable value.
struct ChainPair: Sendable {
    let ask: X509Certificate
    let ark: X509Certificate
}
