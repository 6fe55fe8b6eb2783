import CGuestGuardTLS
import COpenSSL
import GuestGuardCrypto

/// An `SSL_CTX` configured once (role, versions, trust or identity) and shared by every
/// connection made from it. OpenSSL allows `SSL_new` on a configured context from any thread.
package final class TLSContext: @unchecked Sendable {
    package enum Role { case client, server }

    let handle: OpaquePointer
    package let role: Role
    /// Client only: the leaf pins checked by `verifyLeafPin`, empty in CA mode.
    let leafPins: [TLSLeafPin]
    /// Client only: whether `pinnedCA` mode asks for a host-name check.
    let checksHostName: Bool
    let serverNameOverride: String?

    private init(handle: OpaquePointer, role: Role, leafPins: [TLSLeafPin], checksHostName: Bool, serverNameOverride: String?) {
        self.handle = handle
        self.role = role
        self.leafPins = leafPins
        self.checksHostName = checksHostName
        self.serverNameOverride = serverNameOverride
    }

    deinit { SSL_CTX_free(handle) }

    /// A client context: TLS 1.2+, peer verification on, trust only from `configuration`.
    /// The corresponding C function is `SSL_CTX_new`.
    package static func client(_ configuration: TLSClientConfiguration) throws(TLSError) -> TLSContext {
        let handle = try newContext(method: TLS_client_method(), minimumVersion: configuration.minimumVersion, what: "client context")
        // No SSL_CTX_set_default_verify_paths: the system store stays empty on purpose.
        SSL_CTX_set_verify(handle, SSL_VERIFY_PEER, nil)
        switch configuration.verification {
        case .pinnedCA(let pem):
            let certificates: [X509Certificate]
            do { certificates = try Self.certificates(pem, what: "pinned CA") } catch {
                SSL_CTX_free(handle)
                throw error
            }
            let store = SSL_CTX_get_cert_store(handle)
            for certificate in certificates {
                X509_STORE_add_cert(store, certificate.handle)  // takes its own reference
            }
            // The pinned certificate is the trust anchor even when it is not self-signed.
            X509_STORE_set_flags(store, UInt(X509_V_FLAG_PARTIAL_CHAIN))
            return TLSContext(handle: handle, role: .client, leafPins: [], checksHostName: true,
                              serverNameOverride: configuration.serverNameOverride)
        case .pinnedLeaf(let pins):
            guard !pins.isEmpty else {
                SSL_CTX_free(handle)
                throw .invalidConfiguration(what: "leaf pins (none given)", openSSL: nil)
            }
            let context = TLSContext(handle: handle, role: .client, leafPins: pins, checksHostName: false,
                                     serverNameOverride: configuration.serverNameOverride)
            // Replaces chain building entirely; the context outlives every SSL made from it.
            SSL_CTX_set_cert_verify_callback(handle, verifyLeafPinCallback, Unmanaged.passUnretained(context).toOpaque())
            return context
        }
    }

    /// A server context presenting `configuration`'s chain and key.
    /// The corresponding C functions are `SSL_CTX_use_certificate` and `SSL_CTX_use_PrivateKey`.
    package static func server(_ configuration: TLSServerConfiguration) throws(TLSError) -> TLSContext {
        let handle = try newContext(method: TLS_server_method(), minimumVersion: configuration.minimumVersion, what: "server context")
        let context = TLSContext(handle: handle, role: .server, leafPins: [], checksHostName: false, serverNameOverride: nil)
        SSL_CTX_set_options(handle, guestguard_SSL_OP_CIPHER_SERVER_PREFERENCE)
        let certificates = try Self.certificates(configuration.certificateChainPEM, what: "certificate chain")
        ERR_clear_error()
        // Both take their own reference to the certificate.
        guard SSL_CTX_use_certificate(handle, certificates[0].handle) == 1 else {
            throw .invalidConfiguration(what: "server certificate", openSSL: .drainingQueue(operation: "SSL_CTX_use_certificate"))
        }
        for intermediate in certificates.dropFirst() {
            guard guestguard_SSL_CTX_add1_chain_cert(handle, intermediate.handle) == 1 else {
                throw .invalidConfiguration(what: "intermediate certificate", openSSL: .drainingQueue(operation: "SSL_CTX_add1_chain_cert"))
            }
        }
        let key: PEMPrivateKey
        do { key = try PEMPrivateKey(pemEncoded: configuration.privateKeyPEM) } catch { throw .invalidPrivateKey(error) }
        guard SSL_CTX_use_PrivateKey(handle, key.handle) == 1, SSL_CTX_check_private_key(handle) == 1 else {
            throw .invalidConfiguration(what: "private key (does it match the certificate?)", openSSL: .drainingQueue(operation: "SSL_CTX_check_private_key"))
        }
        return context
    }

    /// Every certificate of a PEM bundle (at least one; only `CERTIFICATE` blocks), parsed by GuestGuardCrypto.
    private static func certificates(_ pem: [UInt8], what: String) throws(TLSError) -> [X509Certificate] {
        let certificates: [X509Certificate]
        do { certificates = try X509Certificate.certificates(pemEncoded: String(decoding: pem, as: UTF8.self)) } catch {
            throw .invalidCertificate(what: what, error)
        }
        guard !certificates.isEmpty else { throw .invalidCertificate(what: what, .expectedOneCertificate(found: 0)) }
        return certificates
    }

    private static func newContext(method: OpaquePointer?, minimumVersion: TLSVersion, what: String) throws(TLSError) -> OpaquePointer {
        ERR_clear_error()
        guard let handle = SSL_CTX_new(method) else { throw .invalidConfiguration(what: what, openSSL: .drainingQueue(operation: "SSL_CTX_new")) }
        guard guestguard_SSL_CTX_set_min_proto_version(handle, minimumVersion.openSSLValue) == 1 else {
            SSL_CTX_free(handle)
            throw .invalidConfiguration(what: "\(what) minimum version", openSSL: .drainingQueue(operation: "SSL_CTX_set_min_proto_version"))
        }
        SSL_CTX_set_options(handle, guestguard_SSL_OP_NO_RENEGOTIATION | guestguard_SSL_OP_NO_COMPRESSION)
        return handle
    }
}

/// `SSL_CTX_set_cert_verify_callback` for leaf pinning: accepts the handshake only when the
/// server's leaf certificate matches a pin, and records what it saw on the `TLSConnection`.
private let verifyLeafPinCallback: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?) -> Int32 = { store, argument in
    guard let store, let argument else { return 0 }
    let context = Unmanaged<TLSContext>.fromOpaque(argument).takeUnretainedValue()
    let ssl = X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx())
    let connection = ssl.flatMap { SSL_get_ex_data(OpaquePointer($0), 0) }
        .map { Unmanaged<TLSConnection>.fromOpaque($0).takeUnretainedValue() }
    guard let leaf = X509_STORE_CTX_get0_cert(store), let digests = LeafDigests(leaf) else {
        X509_STORE_CTX_set_error(store, X509_V_ERR_APPLICATION_VERIFICATION)
        return 0
    }
    guard context.leafPins.contains(where: digests.matches) else {
        connection?.leafPinMismatch = digests
        X509_STORE_CTX_set_error(store, X509_V_ERR_APPLICATION_VERIFICATION)
        return 0
    }
    X509_STORE_CTX_set_error(store, X509_V_OK)
    return 1
}
