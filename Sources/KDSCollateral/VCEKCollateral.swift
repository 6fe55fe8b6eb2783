import AMDCertificateProfile
import GuestGuardCrypto
import SNPABI

/// A VCEK with the ASK and ARK KDS serves for its product and the product's CRL, each checked
/// before it is used or cached: the VCEK's hwID and SPL extensions name the requested chip and
/// TCB and its signature verifies under the ASK, the ASK's under the ARK, the CRL's under the ARK,
/// the CRL is current and does not revoke the ASK. Whether the ARK is trusted at all is not
/// decided here: the appraisal that follows accepts only the tenant's roots.
public struct VCEKCollateral: Sendable {
    public let identity: VCEKIdentity
    public let vcek: X509Certificate
    public let ask: X509Certificate
    public let ark: X509Certificate
    public let revocationList: X509RevocationList
}

/// The checks of each document, each one's failure naming the document.
public enum KDSDocumentCheck {
    static let hwIDOID = "1.3.6.1.4.1.3704.1.4"
    /// blSPL, teeSPL, snpSPL, ucodeSPL, fmcSPL (`docs/snp-abi.md` §4.2).
    static let splOIDs = ["1.3.6.1.4.1.3704.1.3.1", "1.3.6.1.4.1.3704.1.3.2", "1.3.6.1.4.1.3704.1.3.3", "1.3.6.1.4.1.3704.1.3.8", "1.3.6.1.4.1.3704.1.3.9"]

    /// A DER VCEK (`CN=SEV-VCEK`) whose hwID and SPLs are `identity`'s.
    static func vcek(_ bytes: [UInt8], _ identity: VCEKIdentity) throws(KDSError) -> X509Certificate {
        let document = KDSDocument.vcek(identity)
        let certificate: X509Certificate
        do { certificate = try X509Certificate(derEncoded: bytes) } catch { throw .malformed(document, reason: "not a DER certificate: \(error)") }
        guard certificate.subjectCommonName == "SEV-VCEK" else {
            throw .malformed(document, reason: "subject is \(certificate.subject), not CN=SEV-VCEK")
        }
        let tcb = identity.reportedTCB
        let expected: [UInt8?] = [tcb.bootLoader, tcb.tee, tcb.snp, tcb.microcode, tcb.fmc]
        do {
            guard let hwID = try certificate.extensionValue(objectIdentifier: hwIDOID),
                  try DERValue.rawOrOctetStringWrapped(hwID, count: identity.hardwareID.count) == identity.hardwareID
            else { throw KDSError.malformed(document, reason: "its hwID is not the requested chip's") }
            for (oid, value) in zip(splOIDs, expected) {
                guard let value else { continue }
                guard let raw = try certificate.extensionValue(objectIdentifier: oid), try DERValue.unsignedInteger(from: raw) == UInt64(value) else {
                    throw KDSError.malformed(document, reason: "its SPL \(oid) is not the requested TCB's (\(tcb))")
                }
            }
        } catch let error as KDSError {
            throw error
        } catch {
            throw .malformed(document, reason: "VCEK extensions: \(error)")
        }
        return certificate
    }

    /// A PEM bundle of exactly two certificates, `SEV-<product>` then `ARK-<product>`, the ASK
    /// issued and signed by the ARK, the ARK self-signed (AMD profile).
    static func chain(_ bytes: [UInt8], _ generation: ProcessorGeneration) throws(KDSError) -> (ask: X509Certificate, ark: X509Certificate) {
        let document = KDSDocument.certificateChain(generation)
        let certificates: [X509Certificate]
        do { certificates = try X509Certificate.certificates(pemEncoded: String(decoding: bytes, as: UTF8.self)) } catch {
            throw .malformed(document, reason: "not a PEM certificate bundle: \(error)")
        }
        guard certificates.count == 2 else { throw .malformed(document, reason: "\(certificates.count) certificates, expected ASK then ARK") }
        let (ask, ark) = (certificates[0], certificates[1])
        let product = generation.kdsProductName
        guard ask.subjectCommonName == "SEV-\(product)", ark.subjectCommonName == "ARK-\(product)" else {
            throw .malformed(document, reason: "names are \(ask.subjectCommonName ?? "?") and \(ark.subjectCommonName ?? "?"), expected SEV-\(product) then ARK-\(product)")
        }
        do {
            let arkKey = try ark.publicKey()
            guard ark.isIssuerName(of: ark), ask.isIssuerName(of: ark) else { throw KDSError.malformed(document, reason: "the ASK is not issued by the ARK") }
            try ark.verifyAMDSignature(issuerKey: arkKey)
            try ask.verifyAMDSignature(issuerKey: arkKey)
        } catch let error as KDSError {
            throw error
        } catch {
            throw .malformed(document, reason: "signatures: \(error)")
        }
        return (ask, ark)
    }

    /// A DER CRL issued and signed by `ark` (KDS's, a store's, or one a tenant imports).
    public static func revocationList(_ bytes: [UInt8], _ generation: ProcessorGeneration, ark: X509Certificate) throws(KDSError) -> X509RevocationList {
        let document = KDSDocument.revocationList(generation)
        let list: X509RevocationList
        do { list = try X509RevocationList(derEncoded: bytes) } catch { throw .malformed(document, reason: "not a DER CRL: \(error)") }
        guard list.isIssued(by: ark) else {
            throw .revocationUnverifiable(reason: "the \(document) is issued by \(list.issuer), not by \(ark.subjectCommonName ?? "the ARK")")
        }
        do { try list.verifyAMDSignature(issuerKey: try ark.publicKey()) } catch {
            throw .revocationUnverifiable(reason: "the \(document)'s signature does not verify under \(ark.subjectCommonName ?? "the ARK"): \(error)")
        }
        return list
    }

    /// Refuses `offered` when it is older than `held`, the same product's CRL already stored or in
    /// use (``RevocationListVersion/isOlder(than:)``): the one rule for an import and a KDS fetch.
    public static func revocationList(_ offered: X509RevocationList, replacing held: X509RevocationList?, _ generation: ProcessorGeneration) throws(KDSError) {
        guard let held, offered.version.isOlder(than: held.version) else { return }
        throw .revocationRollback(.revocationList(generation), held: held.version, offered: offered.version)
    }

    /// The VCEK's signature under the ASK.
    static func issuance(of vcek: X509Certificate, by ask: X509Certificate, _ identity: VCEKIdentity) throws(KDSError) {
        do {
            guard vcek.isIssuerName(of: ask) else { throw KDSError.malformed(.vcek(identity), reason: "not issued by \(ask.subjectCommonName ?? "the ASK")") }
            try vcek.verifyAMDSignature(issuerKey: try ask.publicKey())
        } catch let error as KDSError {
            throw error
        } catch {
            throw .malformed(.vcek(identity), reason: "its signature does not verify under \(ask.subjectCommonName ?? "the ASK"): \(error)")
        }
    }
}
