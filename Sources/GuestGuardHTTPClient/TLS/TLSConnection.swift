import CGuestGuardTLS
import COpenSSL
import GuestGuardCrypto
import SNPABI

/// One `SSL` object wired to two memory BIOs: ciphertext from the network goes into `readBIO`,
/// ciphertext for the network comes out of `writeBIO`. Confined to one channel's event loop.
package final class TLSConnection {
    package let ssl: OpaquePointer
    private let readBIO: OpaquePointer
    private let writeBIO: OpaquePointer
    /// Keeps the `SSL_CTX` (and the pins the verify callback reads) alive as long as the `SSL`.
    let context: TLSContext
    /// Set by the leaf-pin verify callback when the server's certificate matched no pin.
    var leafPinMismatch: LeafDigests?

    /// `peerName` is the host the client connects to: sent as SNI when it is a DNS name, and
    /// checked against the certificate in pinned-CA mode. Ignored on the server.
    /// The corresponding C functions are `SSL_new` and `SSL_set_bio`.
    package init(context: TLSContext, peerName: String?) throws(TLSError) {
        ERR_clear_error()
        guard let ssl = SSL_new(context.handle) else { throw .handshakeFailed(.drainingQueue(operation: "SSL_new")) }
        guard let readBIO = BIO_new(BIO_s_mem()), let writeBIO = BIO_new(BIO_s_mem()) else {
            SSL_free(ssl)
            throw .handshakeFailed(.drainingQueue(operation: "BIO_new"))
        }
        SSL_set_bio(ssl, readBIO, writeBIO)  // the SSL owns both BIOs from here on
        self.ssl = ssl
        self.readBIO = readBIO
        self.writeBIO = writeBIO
        self.context = context
        SSL_set_ex_data(ssl, 0, Unmanaged.passUnretained(self).toOpaque())

        switch context.role {
        case .server:
            SSL_set_accept_state(ssl)
        case .client:
            SSL_set_connect_state(ssl)
            if let name = context.serverNameOverride ?? peerName {
                try configurePeerName(name)
            }
        }
    }

    deinit { SSL_free(ssl) }

    private func configurePeerName(_ name: String) throws(TLSError) {
        let isIPLiteral = Self.isIPLiteral(name)
        if !isIPLiteral, guestguard_SSL_set_tlsext_host_name(ssl, name) != 1 {
            throw .invalidConfiguration(what: "server name \(name) for SNI", openSSL: .drainingQueue(operation: "SSL_set_tlsext_host_name"))
        }
        guard context.checksHostName else { return }
        let param = SSL_get0_param(ssl)
        let ok: Int32
        if isIPLiteral {
            ok = X509_VERIFY_PARAM_set1_ip_asc(param, name)
        } else {
            X509_VERIFY_PARAM_set_hostflags(param, UInt32(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS))
            ok = X509_VERIFY_PARAM_set1_host(param, name, 0)
        }
        guard ok == 1 else { throw .invalidConfiguration(what: "host name \(name) to verify", openSSL: .drainingQueue(operation: "X509_VERIFY_PARAM_set1_host")) }
    }

    /// IPv4 dotted quad or anything with a colon (IPv6); DNS names have neither form.
    static func isIPLiteral(_ name: String) -> Bool {
        if name.contains(":") { return true }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCII) && part.allSatisfy(\.isNumber)
        }
    }

    /// Feeds ciphertext received from the network. Memory BIOs grow, so this always succeeds.
    package func receive(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        _ = BIO_write(readBIO, bytes.baseAddress, Int32(bytes.count))
    }

    /// Ciphertext waiting to go to the network.
    package var pendingCiphertextCount: Int { Int(BIO_ctrl_pending(writeBIO)) }

    /// Moves up to `buffer.count` bytes of pending ciphertext into `buffer`; returns the count.
    package func takeCiphertext(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        Int(max(0, BIO_read(writeBIO, buffer.baseAddress, Int32(buffer.count))))
    }

    /// The error for a failed `SSL_do_handshake`, most specific first: leaf pin, then X.509
    /// verification, then OpenSSL's queue. Call right after the failing call.
    package func handshakeError(queue: OpenSSLError) -> TLSError {
        if let digests = leafPinMismatch {
            return .leafPinMismatch(
                certificateSHA256: Hex.encode(digests.certificateSHA256), publicKeySHA256: Hex.encode(digests.publicKeySHA256))
        }
        let verifyResult = SSL_get_verify_result(ssl)
        if context.role == .client, verifyResult != X509_V_OK {
            return .certificateVerificationFailed(
                code: Int32(verifyResult), reason: String(cString: X509_verify_cert_error_string(verifyResult)))
        }
        return .handshakeFailed(queue)
    }
}
