import COpenSSL

/// A certificate's signatureAlgorithm: the OID and, for RSASSA-PSS, its decoded parameters.
public struct CertificateSignatureAlgorithm: Sendable, Hashable, CustomStringConvertible {
    /// The AlgorithmIdentifier's OID, dotted.
    public let objectIdentifier: String
    /// Present when the OID is id-RSASSA-PSS.
    public let rsaPSSParameters: RSAPSSParameters?

    /// Decodes an AlgorithmIdentifier: SEQUENCE { OID, parameters ANY OPTIONAL }.
    public init(algorithmIdentifierDER der: [UInt8]) throws(DERError) {
        var outer = DERReader(der)
        var algorithm = try outer.readConstructed()
        try outer.expectEnd()
        objectIdentifier = try algorithm.readObjectIdentifier()
        if objectIdentifier == KnownOID.rsassaPSS {
            rsaPSSParameters = try RSAPSSParameters(reading: &algorithm)
            try algorithm.expectEnd()
        } else {
            rsaPSSParameters = nil
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
