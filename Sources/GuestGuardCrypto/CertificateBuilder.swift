import COpenSSL

/// Builds and signs X.509 v3 certificates: the simulated AMD ARK (self-signed), ASK/ASVK and
/// VCEK/VLEK with AMD's custom extensions and serial number 0.
public struct CertificateBuilder: Sendable {
    /// Big-endian serial magnitude; AMD VEKs use 0 (the default).
    public var serialNumber: [UInt8] = []
    public var subject: X509Name
    /// The issuer name; nil means self-issued (issuer = subject).
    public var issuer: X509Name?
    /// Unix seconds.
    public var notBefore: Int64
    /// Unix seconds.
    public var notAfter: Int64
    public var subjectPublicKey: PublicKey
    /// Extensions in order, with raw `extnValue` contents.
    public var extensions: [X509Extension] = []

    public init(subject: X509Name, subjectPublicKey: PublicKey, notBefore: Int64, notAfter: Int64) {
        self.subject = subject
        self.subjectPublicKey = subjectPublicKey
        self.notBefore = notBefore
        self.notAfter = notAfter
    }

    /// Signs the certificate with `key` under `scheme` and returns it parsed back from its DER.
    /// The corresponding C functions are `EVP_DigestSignInit`, `EVP_PKEY_CTX_set_rsa_padding`,
    /// `EVP_PKEY_CTX_set_rsa_pss_saltlen`, `EVP_PKEY_CTX_set_rsa_mgf1_md` and `X509_sign_ctx`.
    public func sign(with key: RSAPrivateKey, scheme: CertificateSignatureScheme = .amdRSAPSS) throws(OpenSSLError) -> X509Certificate {
        ERR_clear_error()
        let certificate = try makeUnsigned()
        defer { X509_free(certificate) }
        guard let context = EVP_MD_CTX_new() else { throw .drainingQueue(operation: "EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(context) }
        var keyContext: OpaquePointer? = nil
        switch scheme {
        case .rsaPSS(let hash, let maskGenerationHash, let saltLength):
            guard EVP_DigestSignInit(context, &keyContext, hash.messageDigest, nil, key.handle) == 1,
                EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PSS_PADDING) == 1,
                EVP_PKEY_CTX_set_rsa_pss_saltlen(keyContext, Int32(saltLength)) == 1,
                EVP_PKEY_CTX_set_rsa_mgf1_md(keyContext, maskGenerationHash.messageDigest) == 1
            else { throw .drainingQueue(operation: "configure RSASSA-PSS signing") }
        case .rsaPKCS1v15(let hash):
            guard EVP_DigestSignInit(context, &keyContext, hash.messageDigest, nil, key.handle) == 1 else {
                throw .drainingQueue(operation: "EVP_DigestSignInit")
            }
        }
        guard X509_sign_ctx(certificate, context) > 0 else { throw .drainingQueue(operation: "X509_sign_ctx") }
        let der = try derEncode(operation: "i2d_X509") { i2d_X509(certificate, $0) }
        do { return try X509Certificate(derEncoded: der) } catch {
            throw OpenSSLError(operation: "re-parse built certificate: \(error)", entries: [])
        }
    }

    /// An unsigned `X509*` with every field but the signature; the caller frees it.
    private func makeUnsigned() throws(OpenSSLError) -> OpaquePointer {
        guard let certificate = X509_new() else { throw .drainingQueue(operation: "X509_new") }
        do {
            try fill(certificate)
            return certificate
        } catch {
            X509_free(certificate)
            throw error
        }
    }

    /// Sets version 3, serial, names, validity, public key and extensions.
    private func fill(_ certificate: OpaquePointer) throws(OpenSSLError) {
        guard X509_set_version(certificate, Int(X509_VERSION_3)) == 1 else { throw .drainingQueue(operation: "X509_set_version") }
        guard let serial = BN_bin2bn(serialNumber, Int32(serialNumber.count), nil) else {
            throw .drainingQueue(operation: "BN_bin2bn(serial)")
        }
        defer { BN_free(serial) }
        guard BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(certificate)) != nil else {
            throw .drainingQueue(operation: "BN_to_ASN1_INTEGER")
        }
        let subjectName = try subject.makeHandle()
        defer { X509_NAME_free(subjectName) }
        let issuerName = try (issuer ?? subject).makeHandle()
        defer { X509_NAME_free(issuerName) }
        guard X509_set_subject_name(certificate, subjectName) == 1, X509_set_issuer_name(certificate, issuerName) == 1 else {
            throw .drainingQueue(operation: "X509_set_subject_name/X509_set_issuer_name")
        }
        guard ASN1_TIME_set(X509_getm_notBefore(certificate), time_t(notBefore)) != nil,
            ASN1_TIME_set(X509_getm_notAfter(certificate), time_t(notAfter)) != nil
        else { throw .drainingQueue(operation: "ASN1_TIME_set") }
        guard X509_set_pubkey(certificate, subjectPublicKey.handle) == 1 else { throw .drainingQueue(operation: "X509_set_pubkey") }
        for item in extensions { try add(item, to: certificate) }
    }

    /// Appends one extension with raw `extnValue` contents.
    /// The corresponding C functions are `X509_EXTENSION_create_by_OBJ` and `X509_add_ext`.
    private func add(_ item: X509Extension, to certificate: OpaquePointer) throws(OpenSSLError) {
        let object = try ObjectText.object(dotted: item.objectIdentifier)
        defer { ASN1_OBJECT_free(object) }
        guard let value = ASN1_OCTET_STRING_new() else { throw .drainingQueue(operation: "ASN1_OCTET_STRING_new") }
        defer { ASN1_OCTET_STRING_free(value) }
        guard ASN1_OCTET_STRING_set(value, item.value, Int32(item.value.count)) == 1 else {
            throw .drainingQueue(operation: "ASN1_OCTET_STRING_set")
        }
        guard let created = X509_EXTENSION_create_by_OBJ(nil, object, item.isCritical ? 1 : 0, value) else {
            throw .drainingQueue(operation: "X509_EXTENSION_create_by_OBJ(\(item.objectIdentifier))")
        }
        defer { X509_EXTENSION_free(created) }
        guard X509_add_ext(certificate, created, -1) == 1 else { throw .drainingQueue(operation: "X509_add_ext") }
    }
}

/// How ``CertificateBuilder`` signs. AMD uses ``amdRSAPSS``; the other schemes exist so tests
/// can build certificates the verifier must reject.
public enum CertificateSignatureScheme: Sendable, Hashable {
    /// RSASSA-PSS with `hash`, MGF1 over `maskGenerationHash`, and `saltLength` bytes of salt.
    case rsaPSS(hash: HashFunction, maskGenerationHash: HashFunction, saltLength: Int)
    /// RSASSA-PKCS1-v1_5 with `hash`.
    case rsaPKCS1v15(hash: HashFunction)

    /// RSASSA-PSS / SHA-384 / MGF1-SHA-384 / salt 48: every AMD SEV-SNP certificate.
    public static let amdRSAPSS = CertificateSignatureScheme.rsaPSS(
        hash: .sha384, maskGenerationHash: .sha384, saltLength: 48)
}
