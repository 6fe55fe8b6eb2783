import Foundation
import GuestGuardTestSupport

/// A self-signed P-256 certificate for 127.0.0.1 and its key, made by the openssl CLI in a fresh
/// temporary directory, with the SHA-256 of its SubjectPublicKeyInfo computed by the CLI as well:
/// the broker's `--tls-cert`, or a rogue broker's own certificate.
struct TLSIdentity {
    let certificate: String
    let key: String
    /// 64 hex digits: what `--broker-pin` / `broker-pin` take.
    let pin: String

    static func make(name: String) throws -> TLSIdentity {
        let directory = TemporaryFileTree.shared.directory("tls-\(name)")
        let (certificate, key) = (directory + "/\(name).pem", directory + "/\(name).key")
        let made = try CLIRunner.run(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", certificate,
                                      "-days", "2", "-subj", "/CN=\(name)", "-addext", "subjectAltName=IP:127.0.0.1"],
                                     executable: URL(fileURLWithPath: "/usr/bin/openssl"))
        guard made.status == 0 else { throw NSError(domain: "TLSIdentity", code: 1, userInfo: [NSLocalizedDescriptionKey: made.stderr]) }
        let digest = try CLIRunner.run(["-c", "openssl x509 -in '\(certificate)' -pubkey -noout | openssl pkey -pubin -outform DER | openssl dgst -sha256 -r"],
                                       executable: URL(fileURLWithPath: "/bin/sh"))
        let pin = String(digest.stdout.prefix(64))
        guard pin.count == 64 else { throw NSError(domain: "TLSIdentity", code: 2, userInfo: [NSLocalizedDescriptionKey: digest.stderr]) }
        return TLSIdentity(certificate: certificate, key: key, pin: pin)
    }
}
