import COpenSSL
import GuestGuardCrypto
import SwiftASN1

/// An owned, parsed X.509 v2 certificate revocation list (`X509_CRL*`, RFC 5280 §5), with the
/// exact DER it was parsed from. AMD's KDS serves one per product (`/vcek/v1/{product}/crl`),
/// signed by the product's ARK under the same RSASSA-PSS profile as its certificates; it lists
/// the ASKs/ASVKs the ARK has revoked (go-sev-guest `verifyCRL`: AMD does not revoke VCEKs, TCB
/// versions supersede them). Immutable after init, so it may be shared between threads.
public final class X509RevocationList: @unchecked Sendable {
    let handle: OpaquePointer
    /// The DER this list was parsed from, byte for byte.
    public let derBytes: [UInt8]
    /// thisUpdate as Unix seconds.
    public let thisUpdate: Int64
    /// nextUpdate as Unix seconds; nil when the list has none.
    public let nextUpdate: Int64?
    /// The cRLNumber extension (RFC 5280 §5.2.3: a non-negative INTEGER that grows with every list
    /// the issuer makes) as its minimal big-endian magnitude (empty for 0); nil when the list has none.
    /// The corresponding C function is `X509_CRL_get_ext_d2i` (`NID_crl_number`).
    public let number: [UInt8]?
    /// The issuer name.
    /// The corresponding C function is `X509_CRL_get_issuer`.
    public let issuer: X509Name
    /// The DER of the outer signatureAlgorithm and of tbsCertList.signature.
    private let algorithms: (outer: [UInt8], tbs: [UInt8])

    /// Parses one DER CRL; trailing bytes are rejected.
    /// The corresponding C function is `d2i_X509_CRL`.
    public init(derEncoded der: [UInt8]) throws(X509Error) {
        let algorithms: (outer: [UInt8], tbs: [UInt8])
        do { algorithms = try Self.signatureAlgorithms(der) } catch {
            throw .malformedDER(OpenSSLError(operation: "CRL structure: \(error)", entries: []))
        }
        ERR_clear_error()
        guard let (parsed, consumed) = derDecode(der, { d2i_X509_CRL(nil, $0, $1) }) else {
            throw .malformedDER(.drainingQueue(operation: "d2i_X509_CRL"))
        }
        guard consumed == der.count else {
            X509_CRL_free(parsed)
            throw .trailingData(count: der.count - consumed)
        }
        guard let thisUpdate = X509Certificate.unixSeconds(X509_CRL_get0_lastUpdate(parsed)) else {
            X509_CRL_free(parsed)
            throw .invalidTime(field: "thisUpdate")
        }
        let nextTime = X509_CRL_get0_nextUpdate(parsed)
        let nextUpdate = nextTime.flatMap { X509Certificate.unixSeconds($0) }
        if nextTime != nil && nextUpdate == nil {
            X509_CRL_free(parsed)
            throw .invalidTime(field: "nextUpdate")
        }
        let number: [UInt8]?
        do { number = try Self.number(parsed) } catch {
            X509_CRL_free(parsed)
            throw error
        }
        handle = parsed
        derBytes = der
        self.thisUpdate = thisUpdate
        self.number = number
        self.nextUpdate = nextUpdate
        self.algorithms = algorithms
        issuer = X509Name(borrowing: X509_CRL_get_issuer(parsed))
    }

    deinit { X509_CRL_free(handle) }

    /// Whether `time` (Unix seconds) lies within [thisUpdate, nextUpdate] (no nextUpdate: from thisUpdate on).
    public func isCurrent(at time: Int64) -> Bool { thisUpdate <= time && (nextUpdate.map { time <= $0 } ?? true) }

    /// thisUpdate and the cRLNumber, for comparing lists and for messages.
    public var version: RevocationListVersion { RevocationListVersion(thisUpdate: thisUpdate, number: number) }

    /// Whether the list's issuer name is `certificate`'s subject name (canonical comparison).
    /// The corresponding C function is `X509_NAME_cmp`.
    public func isIssued(by certificate: X509Certificate) -> Bool {
        X509_NAME_cmp(X509_CRL_get_issuer(handle), X509_get_subject_name(certificate.handle)) == 0
    }

    /// Verifies the signature with `issuerKey` (the ARK's) after enforcing the AMD profile
    /// (RSASSA-PSS, SHA-384, MGF1-SHA-384, salt 48, trailer 1; outer and signed algorithm equal).
    /// The corresponding C function is `X509_CRL_verify`.
    public func verifyAMDSignature(issuerKey: PublicKey) throws(CertificateSignatureError) {
        try X509Certificate.checkAMDSignatureAlgorithm(outer: algorithms.outer, tbs: algorithms.tbs)
        guard case .rsa = issuerKey.algorithm else { throw .issuerKeyNotRSA(issuerKey.algorithm) }
        ERR_clear_error()
        guard X509_CRL_verify(handle, issuerKey.handle) == 1 else {
            throw .signatureInvalid(.drainingQueue(operation: "X509_CRL_verify"))
        }
    }

    /// Whether the list names `certificate`'s serial number (the caller checks that the list's
    /// issuer is the certificate's issuer).
    /// The corresponding C function is `X509_CRL_get0_by_serial`.
    public func revokes(_ certificate: X509Certificate) -> Bool {
        guard let serial = X509_get0_serialNumber(certificate.handle) else { return false }
        var entry: OpaquePointer? = nil
        return X509_CRL_get0_by_serial(handle, &entry, serial) == 1
    }

    /// The cRLNumber of `list`: nil when absent; a repeated, unreadable or negative one is refused.
    private static func number(_ list: OpaquePointer) throws(X509Error) -> [UInt8]? {
        var critical: Int32 = 0
        guard let raw = X509_CRL_get_ext_d2i(list, NID_crl_number, &critical, nil) else {
            if critical == -1 { return nil }
            throw .malformedDER(OpenSSLError(operation: critical == -2 ? "cRLNumber extension repeated" : "cRLNumber extension unreadable", entries: []))
        }
        let integer = raw.assumingMemoryBound(to: ASN1_INTEGER.self)
        defer { ASN1_INTEGER_free(integer) }
        guard integer.pointee.type != V_ASN1_NEG_INTEGER else { throw .malformedDER(OpenSSLError(operation: "cRLNumber is negative", entries: [])) }
        let bytes = Array(UnsafeBufferPointer(start: ASN1_STRING_get0_data(integer), count: Int(ASN1_STRING_length(integer))))
        return Array(bytes.drop { $0 == 0 })
    }

    /// The outer signatureAlgorithm and tbsCertList.signature, as DER (RFC 5280 §5.1:
    /// `CertificateList ::= SEQUENCE { tbsCertList SEQUENCE { version INTEGER OPTIONAL,
    /// signature AlgorithmIdentifier, … }, signatureAlgorithm, signatureValue BIT STRING }`).
    private static func signatureAlgorithms(_ der: [UInt8]) throws(DERError) -> (outer: [UInt8], tbs: [UInt8]) {
        try DERError.decoding("CertificateList") {
            let root = try DER.parse(der)
            guard root.identifier == .sequence, case .constructed(let list) = root.content else {
                throw ASN1Error.invalidASN1Object(reason: "CertificateList is not a SEQUENCE")
            }
            var items = list.makeIterator()
            guard let tbs = items.next(), tbs.identifier == .sequence, case .constructed(let tbsFields) = tbs.content,
                  let outer = items.next(), outer.identifier == .sequence
            else { throw ASN1Error.invalidASN1Object(reason: "CertificateList lacks tbsCertList or signatureAlgorithm") }
            var fields = tbsFields.makeIterator()
            var first = fields.next()
            if first?.identifier == .integer { first = fields.next() }  // version, optional
            guard let signed = first, signed.identifier == .sequence else {
                throw ASN1Error.invalidASN1Object(reason: "tbsCertList lacks its signature AlgorithmIdentifier")
            }
            return (Array(outer.encodedBytes), Array(signed.encodedBytes))
        }
    }
}

/// Which of an issuer's CRLs a list is: its thisUpdate and its cRLNumber (RFC 5280 §5.1.2.4,
/// §5.2.3). Both only grow from one list to the next, so a list with an earlier thisUpdate or a
/// lower number is an older one, and taking it in place of a newer one would un-revoke.
public struct RevocationListVersion: Sendable, Hashable, CustomStringConvertible {
    /// Unix seconds.
    public let thisUpdate: Int64
    /// The cRLNumber's minimal big-endian magnitude; nil when the list has none.
    public let number: [UInt8]?

    public init(thisUpdate: Int64, number: [UInt8]?) {
        self.thisUpdate = thisUpdate
        self.number = number.map { Array($0.drop { $0 == 0 }) }
    }

    /// Whether this is an older list than `other`: an earlier thisUpdate, or a lower cRLNumber
    /// when both lists have one.
    public func isOlder(than other: RevocationListVersion) -> Bool {
        if thisUpdate < other.thisUpdate { return true }
        guard let number, let otherNumber = other.number else { return false }
        if number.count != otherNumber.count { return number.count < otherNumber.count }
        return number.lexicographicallyPrecedes(otherNumber)
    }

    /// The number in decimal when it fits in 64 bits, else in hex.
    var numberText: String {
        guard let number else { return "none" }
        if number.count <= 8 { return String(number.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }) }
        return "0x" + number.hexString
    }

    public var description: String { "thisUpdate \(thisUpdate), CRL number \(numberText)" }
}
