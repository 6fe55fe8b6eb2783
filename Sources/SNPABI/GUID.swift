/// A 16-byte GUID stored in RFC 4122 (big-endian) byte order, as the GHCB extended-report
/// certificate table carries it (go-sev-guest `uuid.UUID`, virtee/sev `Uuid::into_bytes`;
/// `docs/snp-abi.md` §4.4). The VCEK GUID therefore starts `63 da 75 8d e6 64 45 64`.
///
/// Not for EFI tables, which store the first three groups little-endian (§5.2).
public struct GUID: Sendable, Hashable, CustomStringConvertible {
    /// The 16 bytes in RFC 4122 order.
    public let bytes: [UInt8]

    /// A GUID from exactly 16 bytes in RFC 4122 order; nil for any other count.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 16 else { return nil }
        self.bytes = Array(bytes)
    }

    /// Parses the canonical 36-character form `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`
    /// (hex digits in either case); nil for anything else.
    public init?(string: String) {
        let characters = Array(string.utf8)
        guard characters.count == 36 else { return nil }
        var result: [UInt8] = []
        result.reserveCapacity(16)
        var index = 0
        while index < characters.count {
            if [8, 13, 18, 23].contains(index) {
                guard characters[index] == UInt8(ascii: "-") else { return nil }
                index += 1
                continue
            }
            guard index + 1 < characters.count,
                  let high = Self.hexValue(characters[index]), let low = Self.hexValue(characters[index + 1])
            else { return nil }
            result.append(high << 4 | low)
            index += 2
        }
        guard result.count == 16 else { return nil }
        bytes = result
    }

    private static func hexValue(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return character - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Lower-case canonical form, e.g. `63da758d-e664-4564-adc5-f4b93be8accd`.
    public var description: String {
        let hex = hexString(bytes)
        let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            String(hex.dropFirst(range.lowerBound).prefix(range.count))
        }
        return groups.joined(separator: "-")
    }

    /// True for the all-zero (nil) GUID that terminates a certificate table.
    public var isZero: Bool { bytes.allSatisfy { $0 == 0 } }

    private static func wellKnown(_ text: String) -> GUID {
        guard let guid = GUID(string: text) else { preconditionFailure("malformed well-known GUID \(text)") }
        return guid
    }

    /// The all-zero GUID.
    public static let zero = wellKnown("00000000-0000-0000-0000-000000000000")
    /// AMD Root Key certificate entry.
    public static let ark = wellKnown("c0b406a4-a803-4952-9743-3fb6014cd0ae")
    /// AMD SEV Key (ASK) certificate entry; also used for the ASVK.
    public static let ask = wellKnown("4ab7b379-bbac-4fe4-a02f-05aef327c782")
    /// VCEK certificate entry.
    public static let vcek = wellKnown("63da758d-e664-4564-adc5-f4b93be8accd")
    /// VLEK certificate entry.
    public static let vlek = wellKnown("a8074bc2-a25a-483e-aae6-39c045a0b8a1")
    /// Certificate revocation list entry (virtee/sev).
    public static let crl = wellKnown("92f81bc3-5811-4d3d-97ff-d19f88dc67ea")
    /// go-sev-guest "extra platform info" entry.
    public static let extraPlatformInfo = wellKnown("ecae0c0f-9502-43b1-afa2-0ae2e0d565b6")
}
