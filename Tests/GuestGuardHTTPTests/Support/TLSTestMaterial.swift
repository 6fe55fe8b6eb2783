import Foundation
import GuestGuardTestSupport
import Synchronization

/// A CA, a server certificate it issued (SAN localhost, 127.0.0.1, ::1) and an unrelated CA,
/// made by the `openssl` CLI in a temporary directory; pins are computed by the CLI as well, so
/// the library's own digest code is checked against an independent one.
struct TLSTestMaterial: Sendable {
    let directory: String
    let caPEM: [UInt8]
    let otherCAPEM: [UInt8]
    let serverChainPEM: [UInt8]
    let serverKeyPEM: [UInt8]
    let certificateSHA256: String
    let publicKeySHA256: String

    var caPath: String { directory + "/ca.pem" }
    var serverCertificatePath: String { directory + "/server.pem" }
    var serverKeyPath: String { directory + "/server.key" }

    private static let cache = Mutex<Result<TLSTestMaterial, any Error>?>(nil)

    /// Generated once per test process.
    static func shared() throws -> TLSTestMaterial {
        try cache.withLock { cached in
            if let cached { return try cached.get() }
            let result = Result { try generate() }
            cached = result
            return try result.get()
        }
    }

    private static func generate() throws -> TLSTestMaterial {
        let directory = TemporaryFileTree.shared.directory("tls")
        func openssl(_ arguments: [String]) throws -> String {
            try ExternalProcess.check("/usr/bin/openssl", arguments, currentDirectory: directory).standardOutput
        }
        func shell(_ command: String) throws -> String {
            try ExternalProcess.check("/bin/sh", ["-c", command], currentDirectory: directory).standardOutput
        }
        let ecKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
        for name in ["ca", "other-ca"] {
            _ = try openssl(
                ["req", "-x509"] + ecKey + [
                    "-keyout", "\(name).key", "-out", "\(name).pem", "-days", "2", "-subj", "/CN=guestguard test \(name)",
                    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                ])
        }
        _ = try openssl(["req", "-new"] + ecKey + ["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"])
        try Data("subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n".utf8)
            .write(to: URL(fileURLWithPath: directory + "/server.ext"))
        _ = try openssl([
            "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem",
            "-days", "2", "-extfile", "server.ext",
        ])
        let certificateDigest = try shell("openssl x509 -in server.pem -outform DER | openssl dgst -sha256 -r")
        let publicKeyDigest = try shell("openssl x509 -in server.pem -pubkey -noout | openssl pkey -pubin -outform DER | openssl dgst -sha256 -r")
        func read(_ name: String) -> [UInt8] { Array((try? Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))) ?? Data()) }
        return TLSTestMaterial(
            directory: directory, caPEM: read("ca.pem"), otherCAPEM: read("other-ca.pem"), serverChainPEM: read("server.pem"),
            serverKeyPEM: read("server.key"), certificateSHA256: String(certificateDigest.prefix(64)),
            publicKeySHA256: String(publicKeyDigest.prefix(64)))
    }
}
