import COpenSSL
import CanonicalJSON
import Foundation
import KeyBrokerProtocol

/// Loads files from `Fixtures/` (see its README.md for provenance).
enum Fixture {
    static func bytes(_ path: String) throws -> [UInt8] {
        let url = try require(Bundle.module.url(forResource: "Fixtures/" + path, withExtension: nil), "fixture \(path)")
        return [UInt8](try Data(contentsOf: url))
    }

    static func json(_ path: String) throws -> JSONValue {
        try JSONParser.parse(bytes(path))
    }
}

/// Digests from the system OpenSSL (the real implementation guestguard will pass in).
/// The corresponding C function is `EVP_Digest`.
enum OpenSSLDigest {
    static func digest(_ algorithm: HashAlgorithm, _ bytes: [UInt8]) -> [UInt8] {
        let md: OpaquePointer? =
            switch algorithm {
            case .sha256: EVP_sha256()
            case .sha384: EVP_sha384()
            case .sha512: EVP_sha512()
            case .sm3: EVP_get_digestbyname("SM3")
            }
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBytes { input in
            EVP_Digest(input.baseAddress, input.count, &out, &length, md, nil)
        }
        precondition(ok == 1, "EVP_Digest failed")
        return Array(out.prefix(Int(length)))
    }

    static func sha384(_ bytes: [UInt8]) -> [UInt8] { digest(.sha384, bytes) }
}

extension Array where Element == UInt8 {
    init(hex: String) {
        var bytes: [UInt8] = []
        var iterator = hex.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            bytes.append(UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)!)
        }
        self = bytes
    }

    var hex: String { map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined() }
}

extension JSONValue {
    /// A member that must exist, for fixture navigation.
    func member(_ key: String) throws -> JSONValue { try require(self[key], "fixture member \(key)") }

    func string(_ key: String) throws -> String { try require(member(key).stringValue, "fixture string \(key)") }
}

/// Unwraps a fixture value or throws naming it.
func require<T>(_ value: T?, _ message: String) throws -> T {
    guard let value else { throw FixtureError(message: message) }
    return value
}

struct FixtureError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
