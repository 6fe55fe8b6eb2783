/// The server's certificate chain and private key, both PEM. The key is never printed.
public struct TLSServerConfiguration: Sendable, CustomStringConvertible {
    /// The leaf certificate first, then any intermediates.
    public var certificateChainPEM: [UInt8]
    /// An unencrypted private key (PKCS#8 or traditional PEM); encrypted keys are refused rather
    /// than prompting on a terminal.
    public var privateKeyPEM: [UInt8]
    public var minimumVersion: TLSVersion

    public init(certificateChainPEM: [UInt8], privateKeyPEM: [UInt8], minimumVersion: TLSVersion = .v1_2) {
        self.certificateChainPEM = certificateChainPEM
        self.privateKeyPEM = privateKeyPEM
        self.minimumVersion = minimumVersion
    }

    /// Reads the chain and key from PEM files.
    public init(certificateChainFile: String, privateKeyFile: String, minimumVersion: TLSVersion = .v1_2) throws(TLSError) {
        self.init(
            certificateChainPEM: try readFileForTLS(certificateChainFile, what: "certificate chain file"),
            privateKeyPEM: try readFileForTLS(privateKeyFile, what: "private key file"),
            minimumVersion: minimumVersion)
    }

    public var description: String {
        "TLSServerConfiguration(chain: \(certificateChainPEM.count) bytes PEM, key: <redacted>, minimum: \(minimumVersion.rawValue))"
    }
}
