import Foundation
import GuestGuardCrypto
import SNPABI

/// Loads files from this target's `Fixtures/` (real vectors; see Fixtures/README.md).
enum Fixture {
    struct Missing: Error, CustomStringConvertible {
        let path: String
        var description: String { "fixture \(path) not found in the test bundle" }
    }

    static func bytes(_ path: String) throws -> [UInt8] {
        guard let base = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else { throw Missing(path: "Fixtures") }
        let url = base.appendingPathComponent(path)
        guard FileManager.default.fileExists(atPath: url.path) else { throw Missing(path: path) }
        return [UInt8](try Data(contentsOf: url))
    }

    static func text(_ path: String) throws -> String {
        String(decoding: try bytes(path), as: UTF8.self)
    }

    /// A report file: raw binary, or hex text when the name ends in `.hex`.
    static func reportBytes(_ path: String) throws -> [UInt8] {
        let raw = try bytes(path)
        guard path.hasSuffix(".hex") else { return raw }
        let digits = raw.filter { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D) }
        return stride(from: 0, to: digits.count, by: 2).map { index in
            UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16)!
        }
    }

    static func report(_ path: String) throws -> AttestationReport {
        try AttestationReport(bytes: reportBytes(path))
    }

    static func certificate(_ path: String) throws -> X509Certificate {
        path.hasSuffix(".pem") ? try X509Certificate(pemEncoded: text(path)) : try X509Certificate(derEncoded: bytes(path))
    }
}

/// 2025-06-01T00:00:00Z: inside the validity of every fixture certificate.
let fixedTime: Int64 = 1_748_736_000
