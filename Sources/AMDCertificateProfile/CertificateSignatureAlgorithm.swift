import GuestGuardCrypto
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
        (objectIdentifier, rsaPSSParameters) = try DERError.decoding("AlgorithmIdentifier") {
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

/// RSASSA-PSS-params (RFC 4055 §3.1), with RFC defaults filled in for absent fields, decoded with
/// apple/swift-asn1:
///
///     RSASSA-PSS-params ::= SEQUENCE {
///         hashAlgorithm      [0] HashAlgorithm    DEFAULT sha1,
///         maskGenAlgorithm   [1] MaskGenAlgorithm DEFAULT mgf1SHA1,
///         saltLength         [2] INTEGER          DEFAULT 20,
///         trailerField       [3] TrailerField     DEFAULT trailerFieldBC }
public struct RSAPSSParameters: Sendable, Hashable, CustomStringConvertible {
    /// hashAlgorithm OID (default sha1).
    public let hashAlgorithm: String
    /// maskGenAlgorithm OID (default id-mgf1).
    public let maskGenerationAlgorithm: String
    /// The hash inside the mask generation parameters (default sha1).
    public let maskGenerationHash: String
    /// saltLength (default 20).
    public let saltLength: UInt64
    /// trailerField (default 1).
    public let trailerField: UInt64

    public init(hashAlgorithm: String, maskGenerationAlgorithm: String, maskGenerationHash: String, saltLength: UInt64, trailerField: UInt64) {
        self.hashAlgorithm = hashAlgorithm
        self.maskGenerationAlgorithm = maskGenerationAlgorithm
        self.maskGenerationHash = maskGenerationHash
        self.saltLength = saltLength
        self.trailerField = trailerField
    }

    /// Decodes the parameters SEQUENCE (the node after the AlgorithmIdentifier's OID).
    init(derEncoded node: ASN1Node) throws {
        self = try DER.sequence(node, identifier: .sequence) { (nodes: inout ASN1NodeCollection.Iterator) throws -> RSAPSSParameters in
            let hash = try DER.optionalExplicitlyTagged(&nodes, tagNumber: 0, tagClass: .contextSpecific) { try Self.hashAlgorithm($0) }
            let mask = try DER.optionalExplicitlyTagged(&nodes, tagNumber: 1, tagClass: .contextSpecific) { node in
                try DER.sequence(node, identifier: .sequence) { (algorithm: inout ASN1NodeCollection.Iterator) throws -> (String, String) in
                    let oid = Self.dotted(try ASN1ObjectIdentifier(derEncoded: &algorithm))
                    guard let hash = algorithm.next() else { throw ASN1Error.invalidASN1Object(reason: "mask generation without its hash") }
                    return (oid, try Self.hashAlgorithm(hash))
                }
            }
            let salt = try DER.optionalExplicitlyTagged(&nodes, tagNumber: 2, tagClass: .contextSpecific) { try UInt64(derEncoded: $0) }
            let trailer = try DER.optionalExplicitlyTagged(&nodes, tagNumber: 3, tagClass: .contextSpecific) { try UInt64(derEncoded: $0) }
            return RSAPSSParameters(hashAlgorithm: hash ?? KnownOID.sha1, maskGenerationAlgorithm: mask?.0 ?? KnownOID.mgf1,
                                    maskGenerationHash: mask?.1 ?? KnownOID.sha1, saltLength: salt ?? 20, trailerField: trailer ?? 1)
        }
    }

    /// A hash AlgorithmIdentifier: SEQUENCE { OID, NULL OPTIONAL } (both forms occur in practice).
    private static func hashAlgorithm(_ node: ASN1Node) throws -> String {
        try DER.sequence(node, identifier: .sequence) { (nodes: inout ASN1NodeCollection.Iterator) throws -> String in
            let oid = try ASN1ObjectIdentifier(derEncoded: &nodes)
            if let parameters = nodes.next() { _ = try ASN1Null(derEncoded: parameters) }
            return dotted(oid)
        }
    }

    static func dotted(_ oid: ASN1ObjectIdentifier) -> String { oid.oidComponents.map(String.init).joined(separator: ".") }

    public var description: String {
        "hash \(hashAlgorithm), mask \(maskGenerationAlgorithm)(\(maskGenerationHash)), salt \(saltLength), trailer \(trailerField)"
    }
}
