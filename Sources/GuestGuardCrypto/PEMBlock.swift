import COpenSSL

/// One `-----BEGIN <label>----- … -----END <label>-----` block (RFC 7468) and its decoded DER.
public struct PEMBlock: Sendable, Hashable {
    /// The label, e.g. `CERTIFICATE` or `PRIVATE KEY`.
    public let label: String
    /// The base64-decoded contents.
    public let derBytes: [UInt8]

    public init(label: String, derBytes: [UInt8]) {
        self.label = label
        self.derBytes = derBytes
    }

    /// Decodes every PEM block in `text`, in order. Text between blocks is ignored (as OpenSSL
    /// does); a malformed block or a text with no block at all is an error.
    /// The corresponding C function is `PEM_read_bio`.
    public static func blocks(in text: String) throws(OpenSSLError) -> [PEMBlock] {
        ERR_clear_error()
        let bio = try MemoryBIO(copying: text)
        var blocks: [PEMBlock] = []
        while true {
            var name: UnsafeMutablePointer<CChar>? = nil
            var header: UnsafeMutablePointer<CChar>? = nil
            var data: UnsafeMutablePointer<UInt8>? = nil
            var length = 0
            let rc = PEM_read_bio(bio.handle, &name, &header, &data, &length)
            defer {
                guestguard_OPENSSL_free(name)
                guestguard_OPENSSL_free(header)
                guestguard_OPENSSL_free(data)
            }
            guard rc == 1, let name else {
                let last = ERR_peek_last_error()
                if !blocks.isEmpty, ERR_GET_LIB(last) == ERR_LIB_PEM, ERR_GET_REASON(last) == PEM_R_NO_START_LINE {
                    ERR_clear_error()
                    return blocks
                }
                throw .drainingQueue(operation: "PEM_read_bio")
            }
            let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: length)) } ?? []
            blocks.append(PEMBlock(label: String(cString: name), derBytes: bytes))
        }
    }

    /// The PEM text of this block (64-column base64, trailing newline).
    /// The corresponding C function is `PEM_write_bio`.
    public func pemEncoded() throws(OpenSSLError) -> String {
        let bio = try MemoryBIO()
        let rc = derBytes.withUnsafeBufferPointer { PEM_write_bio(bio.handle, label, "", $0.baseAddress, $0.count) }
        guard rc > 0 else { throw .drainingQueue(operation: "PEM_write_bio") }
        return bio.text()
    }
}
