import COpenSSL
import SwiftASN1

/// A certificate's signatureAlgorithm: the OID and, for RSASSA-PSS, its decoded parameters.
public struct CertificateSignatureAlgorithm: Sendable, Hashable, CustomStringConvertible {
    /// The AlgorithmIdentifier's OID, dotted.
    public let objectIdentifier: String
    /// Present when the OID is id-RSASSA-PSS.
    public let rsaPSSParameters: RSAPSSParameters?

    /// Decodes an AlgorithmIdentifier: SEQUENCE { OID, parameters ANY OPTIONAL }, with apple/swift-asn1
    /// (strict DER; unconsumed or trailing bytes are refused). X.509 itself stays on OpenSSL.
    public init(algorithmIdentifierDER der: [UInt8]) throws(DERError) {
        (objectIdentifier, rsaPSSParameters) = try DERError.decoding {
            try DER.sequence(try DER.parse(der), identifier: .sequence) { (nodes: inout ASN1NodeCollection.Iterator) throws -> (String, RSAPSSParameters?) in
                let oid = RSAPSSParameters.dotted(try ASN1ObjectIdentifier(derEncoded: &nodes))
                guard oid == KnownOID.rsassaPSS else {
                    _ = nodes.next()  // parameters of other algorithms are not interpreted
                    return (oid, nil)
                }
                guard let parameters = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "RSASSA-PSS without parameters") }
                return (oid, try RSAPSSParameters(derEncoded: parameters))
            }
        }
    }

    public var description: String {
        rsaPSSParameters.map { "RSASSA-PSS (\($0))" } ?? objectIdentifier
    }
}

extension X509Certificate {
    /// The DER of the outer signatureAlgorithm and of the TBS `signature` field (RFC 5280 §4.1.1.2
    /// requires them to be equal).
    /// The corresponding C functions are `X509_get0_signature`, `X509_get0_tbs_sigalg` and `i2d_X509_ALGOR`.
    public func signatureAlgorithmDER() throws(OpenSSLError) -> (outer: [UInt8], tbs: [UInt8]) {
        var signature: UnsafePointer<ASN1_BIT_STRING>? = nil
        var outer: UnsafePointer<X509_ALGOR>? = nil
        X509_get0_signature(&signature, &outer, handle)
        let tbs = X509_get0_tbs_sigalg(handle)
        let outerDER = try derEncode(operation: "i2d_X509_ALGOR(signatureAlgorithm)") { i2d_X509_ALGOR(outer, $0) }
        let tbsDER = try derEncode(operation: "i2d_X509_ALGOR(tbsCertificate.signature)") { i2d_X509_ALGOR(tbs, $0) }
        return (outerDER, tbsDER)
    }
}
