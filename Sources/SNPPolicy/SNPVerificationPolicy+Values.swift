import GuestGuardConfig
import SNPABI

/// Value readers for the policy file: hex digests, versions, lists without duplicates.
extension SNPVerificationPolicy {
    /// Exactly `count` bytes written as `2 * count` hex digits (either case).
    static func hexBytes(_ value: ConfigValue, count: Int) throws(ConfigError) -> [UInt8] {
        let text = try value.string()
        guard let bytes = Hex.decode(text), bytes.count == count else {
            throw value.invalid(expected: "\(2 * count) hex digits (\(count) bytes)")
        }
        return bytes
    }

    /// A SHA-256 fingerprint: 64 hex digits, optionally in `AB:CD:…` pairs as `openssl x509 -fingerprint`
    /// prints them.
    static func fingerprint(_ value: ConfigValue) throws(ConfigError) -> [UInt8] {
        let text = try value.string()
        let pairs = text.split(separator: ":", omittingEmptySubsequences: false)
        let digits = pairs.count > 1 && pairs.allSatisfy({ $0.utf8.count == 2 }) ? pairs.joined() : text
        guard let bytes = Hex.decode(digits), bytes.count == 32 else {
            throw value.invalid(expected: "a SHA-256 fingerprint (64 hex digits, optionally colon-separated)")
        }
        return bytes
    }

    /// "MAJOR.MINOR.BUILD" or "MAJOR.MINOR" (build 0), each part 0...255.
    static func firmwareVersion(_ value: ConfigValue) throws(ConfigError) -> FirmwareVersion {
        guard let parts = try versionParts(value, counts: 2...3) else {
            throw value.invalid(expected: "a firmware version \"MAJOR.MINOR.BUILD\" (each 0...255)")
        }
        return FirmwareVersion(major: parts[0], minor: parts[1], build: parts.count == 3 ? parts[2] : 0)
    }

    /// "MAJOR.MINOR", each part 0...255.
    static func abiVersion(_ value: ConfigValue) throws(ConfigError) -> ABIVersion {
        guard let parts = try versionParts(value, counts: 2...2) else {
            throw value.invalid(expected: "an ABI version \"MAJOR.MINOR\" (each 0...255)")
        }
        return ABIVersion(major: parts[0], minor: parts[1])
    }

    /// Dot-separated decimal parts of 1-3 digits, each a byte; nil if malformed.
    private static func versionParts(_ value: ConfigValue, counts: ClosedRange<Int>) throws(ConfigError) -> [UInt8]? {
        let parts = try value.string().split(separator: ".", omittingEmptySubsequences: false)
        guard counts.contains(parts.count) else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.utf8.count), part.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                let byte = UInt8(part)
            else { return nil }
            bytes.append(byte)
        }
        return bytes
    }

    /// The elements of an array, decoded, with no value listed twice.
    static func distinctList<Element: Hashable>(
        _ elements: [ConfigValue], _ decode: (ConfigValue) throws(ConfigError) -> Element
    ) throws(ConfigError) -> [Element] {
        var seen: Set<Element> = []
        var decoded: [Element] = []
        for element in elements {
            let value = try decode(element)
            guard seen.insert(value).inserted else { throw element.invalid(expected: "a value not listed before") }
            decoded.append(value)
        }
        return decoded
    }

    /// ``distinctList(_:_:)`` of an array value that must not be empty.
    static func nonEmptyDistinctList<Element: Hashable>(
        _ value: ConfigValue, _ decode: (ConfigValue) throws(ConfigError) -> Element
    ) throws(ConfigError) -> [Element] {
        let elements = try value.array()
        guard !elements.isEmpty else { throw value.invalid(expected: "at least one entry") }
        return try distinctList(elements, decode)
    }
}
