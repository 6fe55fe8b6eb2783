import AMDCertificateProfile
import GuestGuardCrypto
import KDSCollateral
import SNPABI
import SNPVerifier

/// `guestguard-broker crl import`: puts AMD's CRL for a product (DER, as `guestguard fetch crl`
/// writes it or as KDS serves it at `/vcek/v1/{product}/crl`) into the store, where every replica's
/// `cert_chain` check finds it (``KeyBrokerService/revocationRefusal(_:report:root:trust:)``).
/// Refused: a CRL that does not verify under the product's ARK, one past its nextUpdate (or not
/// yet valid), and one older than the CRL already stored (an earlier thisUpdate or a lower
/// cRLNumber, ``RevocationImportError/older(product:held:offered:)``: a rollback would un-revoke).
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
            if let stored = try await storage.kdsDocument(named: name), let held = try? KDSDocumentCheck.revocationList(stored, generation, ark: issuerARK) {
                do { try KDSDocumentCheck.revocationList(list, replacing: held, generation) } catch {
                    throw RevocationImportError.older(product: generation.kdsProductName, held: held.version, offered: list.version)
                }
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
public enum RevocationImportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The bytes are not a current CRL of the product's ARK.
    case unusable(String)
    /// The store holds a newer CRL of `product` than the one offered; nothing was stored.
    case older(product: String, held: RevocationListVersion, offered: RevocationListVersion)
    /// The store failed.
    case store(String)

    public var description: String {
        switch self {
        case .unusable(let reason): "CRL refused: \(reason)"
        case .older(let product, let held, let offered): "CRL refused: the store holds a newer \(product) CRL (\(held)) than the one offered (\(offered))"
        case .store(let reason): "store: \(reason)"
        }
    }
}
