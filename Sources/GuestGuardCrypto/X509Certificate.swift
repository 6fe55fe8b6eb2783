import COpenSSL

/// An owned, parsed X.509 certificate (`X509*`), with the exact DER it was parsed from.
/// Immutable after init, so it may be shared between threads.
public final class X509Certificate: @unchecked Sendable {
    /// The `X509*`, for libssl in this package (TLS trust anchors and chains); owned by this object.
    package let handle: OpaquePointer
    /// The DER this certificate was parsed from, byte for byte.
    public let derBytes: [UInt8]
    /// SHA-256 of ``derBytes`` — the fingerprint AMD roots are pinned by.
    public let sha256Fingerprint: [UInt8]
    /// notBefore as Unix seconds.
    public let notBefore: Int64
    /// notAfter as Unix seconds.
    public let notAfter: Int64
    /// All extensions, in certificate order.
    public let extensions: [X509Extension]
    /// The subject name.
    /// The corresponding C function is `X509_get_subject_name`.
    public let subject: X509Name
    /// The issuer name.
    /// The corresponding C function is `X509_get_issuer_name`.
    public let issuer: X509Name

    /// Parses one DER certificate; trailing bytes are rejected.
    /// The corresponding C function is `d2i_X509`.
    public init(derEncoded der: [UInt8]) throws(X509Error) {
        ERR_clear_error()
        guard let (parsed, consumed) = derDecode(der, { d2i_X509(nil, $0, $1) }) else {
            throw .malformedDER(.drainingQueue(operation: "d2i_X509"))
        }
        guard consumed == der.count else {
            X509_free(parsed)
            throw .trailingData(count: der.count - consumed)
        }
        handle = parsed
        derBytes = der
        do {
            sha256Fingerprint = try HashFunction.sha256.hash(der)
        } catch {
            X509_free(parsed)
            throw .encoding(error)
        }
        guard let notBefore = Self.unixSeconds(X509_get0_notBefore(parsed)) else {
            X509_free(parsed)
            throw .invalidTime(field: "notBefore")
        }
        guard let notAfter = Self.unixSeconds(X509_get0_notAfter(parsed)) else {
            X509_free(parsed)
            throw .invalidTime(field: "notAfter")
        }
        self.notBefore = notBefore
        self.notAfter = notAfter
        extensions = Self.readExtensions(parsed)
        subject = X509Name(borrowing: X509_get_subject_name(parsed))
        issuer = X509Name(borrowing: X509_get_issuer_name(parsed))
    }

    /// A copy of a certificate libssl holds (a TLS peer's leaf), re-parsed from its DER.
    /// The corresponding C function is `i2d_X509`.
    package convenience init(copying x509: OpaquePointer) throws(X509Error) {
        let der: [UInt8]
        do { der = try derEncode(operation: "i2d_X509") { i2d_X509(x509, $0) } } catch { throw .encoding(error) }
        try self.init(derEncoded: der)
    }

    /// Parses exactly one `CERTIFICATE` PEM block.
    public convenience init(pemEncoded text: String) throws(X509Error) {
        let blocks = try Self.certificateBlocks(in: text)
        guard blocks.count == 1 else { throw .expectedOneCertificate(found: blocks.count) }
        try self.init(derEncoded: blocks[0].derBytes)
    }

    /// Parses every `CERTIFICATE` block of a PEM bundle (e.g. a KDS `cert_chain`: ASK, then ARK).
    public static func certificates(pemEncoded text: String) throws(X509Error) -> [X509Certificate] {
        var certificates: [X509Certificate] = []
        for block in try certificateBlocks(in: text) {
            certificates.append(try X509Certificate(derEncoded: block.derBytes))
        }
        return certificates
    }

    private static func certificateBlocks(in text: String) throws(X509Error) -> [PEMBlock] {
        let blocks: [PEMBlock]
        do { blocks = try PEMBlock.blocks(in: text) } catch { throw .malformedPEM(error) }
        if let other = blocks.first(where: { $0.label != "CERTIFICATE" }) { throw .unexpectedPEMLabel(other.label) }
        return blocks
    }

    deinit { X509_free(handle) }

    /// The subject's first common name (`ARK-Milan`, `SEV-VCEK`…).
    public var subjectCommonName: String? { subject.commonName }

    /// Whether this certificate's issuer name equals `issuer`'s subject name (canonical comparison).
    /// The corresponding C function is `X509_NAME_cmp`.
    public func isIssuerName(of issuerCandidate: X509Certificate) -> Bool {
        X509_NAME_cmp(X509_get_issuer_name(handle), X509_get_subject_name(issuerCandidate.handle)) == 0
    }

    /// The serial number.
    /// The corresponding C function is `X509_get0_serialNumber`.
    public var serialNumber: CertificateSerialNumber {
        let integer = X509_get0_serialNumber(handle)
        guard let integer else { return CertificateSerialNumber(magnitude: []) }
        let bytes = Array(UnsafeBufferPointer(start: ASN1_STRING_get0_data(integer), count: Int(ASN1_STRING_length(integer))))
        return CertificateSerialNumber(magnitude: bytes, isNegative: integer.pointee.type == V_ASN1_NEG_INTEGER)
    }

    /// Whether `time` (Unix seconds) lies within [notBefore, notAfter] (RFC 5280 §4.1.2.5: inclusive).
    public func isValid(at time: Int64) -> Bool { notBefore <= time && time <= notAfter }

    /// The subject public key, as a new independent key object.
    /// The corresponding C function is `X509_get_pubkey`.
    public func publicKey() throws(KeyError) -> PublicKey {
        guard let key = X509_get_pubkey(handle) else {
            throw .openSSL(.drainingQueue(operation: "X509_get_pubkey"))
        }
        return PublicKey(takingOwnershipOf: key)
    }

    /// SHA-256 of the DER SubjectPublicKeyInfo: the key pin that survives re-issuance with the
    /// same key (`openssl x509 -pubkey | openssl pkey -pubin -outform DER | openssl dgst -sha256`).
    /// The corresponding C functions are `i2d_X509_PUBKEY` and `EVP_Digest`.
    public func subjectPublicKeyInfoSHA256() throws(OpenSSLError) -> [UInt8] {
        let spki = try derEncode(operation: "i2d_X509_PUBKEY") { i2d_X509_PUBKEY(X509_get_X509_PUBKEY(handle), $0) }
        return try HashFunction.sha256.hash(spki)
    }

    /// The PEM text of this certificate.
    public func pemEncoded() throws(OpenSSLError) -> String {
        try PEMBlock(label: "CERTIFICATE", derBytes: derBytes).pemEncoded()
    }

    private static func readExtensions(_ x509: OpaquePointer) -> [X509Extension] {
        (0..<max(0, X509_get_ext_count(x509))).compactMap { index in
            guard let ext = X509_get_ext(x509, index), let data = X509_EXTENSION_get_data(ext) else { return nil }
            let value = Array(UnsafeBufferPointer(start: ASN1_STRING_get0_data(data), count: Int(ASN1_STRING_length(data))))
            return X509Extension(
                objectIdentifier: ObjectText.dotted(X509_EXTENSION_get_object(ext)),
                isCritical: X509_EXTENSION_get_critical(ext) == 1,
                value: value
            )
        }
    }

    /// Converts an `ASN1_TIME` (UTCTime or GeneralizedTime) to Unix seconds.
    /// The corresponding C function is `ASN1_TIME_to_tm`.
    package static func unixSeconds(_ time: UnsafePointer<ASN1_TIME>?) -> Int64? {
        guard let time, ASN1_TIME_check(time) == 1 else { return nil }
        var fields = tm()
        guard ASN1_TIME_to_tm(time, &fields) == 1 else { return nil }
        let days = CivilDate.daysSinceEpoch(
            year: Int64(fields.tm_year) + 1900, month: Int64(fields.tm_mon) + 1, day: Int64(fields.tm_mday))
        return days * 86_400 + Int64(fields.tm_hour) * 3_600 + Int64(fields.tm_min) * 60 + Int64(fields.tm_sec)
    }
}

extension X509Certificate {
    /// The raw `extnValue` contents of the extension `objectIdentifier` (dotted), or nil if absent.
    /// Throws if the extension occurs more than once.
    public func extensionValue(objectIdentifier: String) throws(X509Error) -> [UInt8]? {
        var found: [UInt8]? = nil
        for candidate in extensions where candidate.objectIdentifier == objectIdentifier {
            guard found == nil else { throw .duplicateExtension(objectIdentifier: objectIdentifier) }
            found = candidate.value
        }
        return found
    }
}

/// One certificate extension: its OID, criticality and the raw `extnValue` contents (the bytes
/// inside the OCTET STRING — for AMD's `hwID` these are the 64 raw bytes, no inner tag).
public struct X509Extension: Sendable, Hashable {
    public let objectIdentifier: String
    public let isCritical: Bool
    public let value: [UInt8]

    public init(objectIdentifier: String, isCritical: Bool = false, value: [UInt8]) {
        self.objectIdentifier = objectIdentifier
        self.isCritical = isCritical
        self.value = value
    }
}

/// Proleptic Gregorian calendar arithmetic (H. Hinnant's `days_from_civil`), so certificate
/// times convert to Unix seconds without `timegm` or a time zone.
enum CivilDate {
    /// Days from 1970-01-01 to the given date (month 1…12).
    static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
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

    /// Whether `issuerKey` verifies this certificate's signature over its TBS bytes, with the algorithm
    /// and parameters the certificate names: callers that require a profile check it first
    /// (AMDCertificateProfile's `verifyAMDSignature`).
    /// The corresponding C function is `X509_verify`.
    package func verifySignature(issuerKey: PublicKey) throws(OpenSSLError) {
        ERR_clear_error()
        guard X509_verify(handle, issuerKey.handle) == 1 else { throw .drainingQueue(operation: "X509_verify") }
    }
}
