import AMDCertificateProfile
import GuestGuardCrypto
import KDSCollateral
import SNPABI
import SNPVerifier

/// `guestguard-broker crl import`: puts AMD's CRL for a product (DER, as `guestguard fetch crl`
/// writes it or as KDS serves it at `/vcek/v1/{product}/crl`) into the store, where every replica's
/// `cert_chain` check finds it (``KeyBrokerService/revocationRefusal(_:report:root:trust:)``).
/// Refused: a CRL that does not verify under the product's ARK, one past its nextUpdate (or not
/// yet valid), and one older than the CRL already stored (a rollback would un-revoke).
public enum RevocationListImport {
    /// Checks `bytes` and stores them under `crl-<product>`.
    ///
    /// - Parameters:
    ///   - product: the product; nil: the one the CRL's issuer names (`CN=ARK-<product>`).
    ///   - ark: the ARK it must verify under; nil: AMD's pinned ARK for the product.
    ///   - now: Unix seconds.
    @discardableResult
    public static func run(_ bytes: [UInt8], product: ProcessorGeneration?, ark: X509Certificate?, into storage: any BrokerStorage, now: Int64)
        async throws(RevocationImportError) -> (generation: ProcessorGeneration, list: X509RevocationList)
    {
        let parsed: X509RevocationList
        do { parsed = try X509RevocationList(derEncoded: bytes) } catch { throw .unusable("not a DER CRL: \(error)") }
        let issuer = parsed.issuer.commonName ?? ""
        guard let generation = product ?? (issuer.hasPrefix("ARK-") ? ProcessorGeneration(kdsProductName: String(issuer.dropFirst(4))) : nil) else {
            throw .unusable("the CRL's issuer (\(parsed.issuer)) names no product: give --product")
        }
        let amd = ((try? AMDRootCertificates.trustStore().roots) ?? []).first { $0.ark.subjectCommonName == "ARK-\(generation.kdsProductName)" }?.ark
        guard let issuerARK = ark ?? amd else { throw .unusable("no ARK for \(generation.kdsProductName): give --ark") }
        let list: X509RevocationList
        do { list = try KDSDocumentCheck.revocationList(bytes, generation, ark: issuerARK) } catch { throw .unusable("\(error)") }
        guard list.isCurrent(at: now) else {
            throw .unusable("the CRL is not current (thisUpdate \(list.thisUpdate), nextUpdate \(list.nextUpdate.map(String.init) ?? "none"), now \(now))")
        }
        let name = KDSDocument.revocationList(generation).cacheName
        do {
            if let stored = try await storage.kdsDocument(named: name),
               let known = try? KDSDocumentCheck.revocationList(stored, generation, ark: issuerARK), known.thisUpdate > list.thisUpdate {
                throw RevocationImportError.unusable("the store holds a newer \(generation.kdsProductName) CRL (thisUpdate \(known.thisUpdate) > \(list.thisUpdate))")
            }
            try await storage.storeKDSDocument(bytes, named: name)
        } catch let error as RevocationImportError {
            throw error
        } catch {
            throw .store("\(error)")
        }
        return (generation, list)
    }
}

/// Why ``RevocationListImport`` refused.
public enum RevocationImportError: Error, Sendable, CustomStringConvertible {
    /// The bytes are not a current CRL of the product's ARK.
    case unusable(String)
    /// The store failed.
    case store(String)

    public var description: String {
        switch self {
        case .unusable(let reason): "CRL refused: \(reason)"
        case .store(let reason): "store: \(reason)"
        }
    }
}
