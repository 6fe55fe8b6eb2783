#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import COpenSSL

/// Reads a certificate or key file (at most 1 MiB) for TLS configuration.
/// The corresponding C functions are `open` and `read`.
func readFileForTLS(_ path: String, what: String) throws(TLSError) -> [UInt8] {
    let limit = 1024 * 1024
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
        throw .invalidConfiguration(what: "\(what) \(path) (\(String(cString: strerror(errno))))", openSSL: .init(entries: []))
    }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 16 * 1024)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count < 0 {
            if errno == EINTR { continue }
            throw .invalidConfiguration(what: "\(what) \(path) (\(String(cString: strerror(errno))))", openSSL: .init(entries: []))
        }
        if count == 0 { return bytes }
        bytes += chunk[..<count]
        guard bytes.count <= limit else {
            throw .invalidConfiguration(what: "\(what) \(path) (larger than 1 MiB)", openSSL: .init(entries: []))
        }
    }
}

/// Every certificate in a PEM bundle, in order; the caller frees them with `X509_free`.
/// Fails if the bundle holds none, or if anything after the last certificate is not PEM.
/// The corresponding C function is `PEM_read_bio_X509`.
func readPEMCertificates(_ pem: [UInt8], what: String) throws(TLSError) -> [OpaquePointer] {
    ERR_clear_error()
    // BIO_new_mem_buf does not copy, so the BIO lives only inside this closure.
    let certificates = pem.withUnsafeBytes { buffer -> [OpaquePointer]? in
        guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return nil }
        defer { BIO_free(bio) }
        var certificates: [OpaquePointer] = []
        while let certificate = PEM_read_bio_X509(bio, nil, nil, nil) {
            certificates.append(certificate)
        }
        return certificates
    }
    // Reading stops with PEM_R_NO_START_LINE at the end of the data; anything else is an error.
    let queue = OpenSSLErrorQueue.drain()
    guard let certificates else { throw .invalidConfiguration(what: what, openSSL: queue) }
    let endOfData = queue.entries.count == 1 && ERR_GET_REASON(queue.entries[0].code) == PEM_R_NO_START_LINE
    guard !certificates.isEmpty, endOfData || queue.entries.isEmpty else {
        certificates.forEach { X509_free($0) }
        throw .invalidConfiguration(what: "\(what) (\(certificates.count) certificates read)", openSSL: queue)
    }
    return certificates
}

/// The private key in a PEM block. An encrypted key fails (the callback supplies no passphrase)
/// instead of prompting on the terminal. The corresponding C function is `PEM_read_bio_PrivateKey`.
func readPEMPrivateKey(_ pem: [UInt8]) throws(TLSError) -> OpaquePointer {
    ERR_clear_error()
    let noPassphrase: @convention(c) (UnsafeMutablePointer<CChar>?, Int32, Int32, UnsafeMutableRawPointer?) -> Int32 = {
        _, _, _, _ in 0
    }
    let key = pem.withUnsafeBytes { buffer -> OpaquePointer? in
        guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return nil }
        defer { BIO_free(bio) }
        return PEM_read_bio_PrivateKey(bio, nil, noPassphrase, nil)
    }
    guard let key else { throw .invalidConfiguration(what: "private key", openSSL: .drain()) }
    return key
}
