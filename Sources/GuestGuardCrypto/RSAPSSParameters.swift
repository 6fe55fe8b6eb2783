/// RSASSA-PSS-params (RFC 4055 §3.1), with RFC defaults filled in for absent fields.
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

    /// Decodes the parameters SEQUENCE (the contents of an AlgorithmIdentifier after its OID).
    public init(reading reader: inout DERReader) throws(DERError) {
        var params = try reader.readConstructed()
        var hash = KnownOID.sha1
        var mgf = KnownOID.mgf1
        var mgfHash = KnownOID.sha1
        var salt: UInt64 = 20
        var trailer: UInt64 = 1
        if params.peekTag() == DERReader.Tag.contextConstructed(0) {
            var explicit = try params.readConstructed(tag: DERReader.Tag.contextConstructed(0))
            hash = try Self.readHashAlgorithm(&explicit)
            try explicit.expectEnd()
        }
        if params.peekTag() == DERReader.Tag.contextConstructed(1) {
            var explicit = try params.readConstructed(tag: DERReader.Tag.contextConstructed(1))
            var algorithm = try explicit.readConstructed()
            mgf = try algorithm.readObjectIdentifier()
            mgfHash = try Self.readHashAlgorithm(&algorithm)
            try algorithm.expectEnd()
            try explicit.expectEnd()
        }
        if params.peekTag() == DERReader.Tag.contextConstructed(2) {
            var explicit = try params.readConstructed(tag: DERReader.Tag.contextConstructed(2))
            salt = try explicit.readUnsignedInteger()
            try explicit.expectEnd()
        }
        if params.peekTag() == DERReader.Tag.contextConstructed(3) {
            var explicit = try params.readConstructed(tag: DERReader.Tag.contextConstructed(3))
            trailer = try explicit.readUnsignedInteger()
            try explicit.expectEnd()
        }
        try params.expectEnd()
        self.init(hashAlgorithm: hash, maskGenerationAlgorithm: mgf, maskGenerationHash: mgfHash, saltLength: salt, trailerField: trailer)
    }

    /// A hash AlgorithmIdentifier: SEQUENCE { OID, NULL OPTIONAL } (both forms occur in practice).
    private static func readHashAlgorithm(_ reader: inout DERReader) throws(DERError) -> String {
        var algorithm = try reader.readConstructed()
        let oid = try algorithm.readObjectIdentifier()
        if !algorithm.isAtEnd { try algorithm.readNull() }
        try algorithm.expectEnd()
        return oid
    }

    public var description: String {
        "hash \(hashAlgorithm), mask \(maskGenerationAlgorithm)(\(maskGenerationHash)), salt \(saltLength), trailer \(trailerField)"
    }
}
