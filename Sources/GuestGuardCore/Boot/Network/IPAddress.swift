import SNPABI

/// An IPv4 or IPv6 address literal as the boot configuration writes it, parsed strictly: RFC 791
/// dotted quad (four decimal octets, no leading zeros), RFC 4291 §2.2 text forms (1…4 hex digits per
/// group, at most one `::`, an optional dotted-quad tail); no zone index, no brackets.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// 4 bytes (IPv4) or 16 bytes (IPv6), network order.
    public let bytes: [UInt8]
    /// The text as written (validated: only hex digits, '.', ':').
    public let text: String

    public var isIPv4: Bool { bytes.count == 4 }
    public var description: String { text }

    public init?(_ text: String) {
        if let bytes = Self.ipv4(Substring(text)) ?? Self.ipv6(Substring(text)) {
            self.bytes = bytes
            self.text = text
        } else {
            return nil
        }
    }

    /// Whether the first `prefix` bits of `self` and `other` (same family) agree.
    public func sharesPrefix(_ prefix: Int, with other: IPAddress) -> Bool {
        guard bytes.count == other.bytes.count else { return false }
        for bit in 0..<min(prefix, bytes.count * 8) {
            let mask = UInt8(0x80) >> UInt8(bit % 8)
            if bytes[bit / 8] & mask != other.bytes[bit / 8] & mask { return false }
        }
        return true
    }

    /// IPv6 link-local (fe80::/10): a gateway outside the address's prefix is fine when it is one.
    public var isLinkLocal: Bool { bytes.count == 16 && bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80 }

    static func ipv4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.utf8.count), part.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                  part.utf8.count == 1 || part.utf8.first != 0x30, let value = UInt8(part) else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    static func ipv6(_ text: Substring) -> [UInt8]? {
        guard text.utf8.count <= 45, text.containsText(":") else { return nil }
        let groups: [UInt16]
        if let gap = text.firstRange(ofText: "::") {
            let after = text[gap.upperBound...]
            guard !after.containsText("::"), let head = Self.groups(text[..<gap.lowerBound], dottedTail: false),
                  let tail = Self.groups(after, dottedTail: true), head.count + tail.count <= 7 else { return nil }
            groups = head + [UInt16](repeating: 0, count: 8 - head.count - tail.count) + tail
        } else {
            guard let all = Self.groups(text, dottedTail: true), all.count == 8 else { return nil }
            groups = all
        }
        return groups.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    /// `a:b:c` as 16-bit groups; with `dottedTail`, the last piece may be a dotted quad (two groups).
    private static func groups(_ text: Substring, dottedTail: Bool) -> [UInt16]? {
        guard !text.isEmpty else { return [] }
        let pieces = text.split(separator: ":", omittingEmptySubsequences: false)
        var groups: [UInt16] = []
        for (index, piece) in pieces.enumerated() {
            if dottedTail, index == pieces.count - 1, piece.containsText(".") {
                guard let quad = ipv4(piece) else { return nil }
                groups += [UInt16(quad[0]) << 8 | UInt16(quad[1]), UInt16(quad[2]) << 8 | UInt16(quad[3])]
                continue
            }
            guard (1...4).contains(piece.utf8.count), piece.utf8.allSatisfy(Self.isHexDigit), let value = UInt16(piece, radix: 16) else {
                return nil
            }
            groups.append(value)
        }
        return groups
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x66)
    }
}

/// An address with its prefix length, `192.0.2.10/24` or `2001:db8::10/64`.
public struct IPPrefix: Sendable, Hashable, CustomStringConvertible {
    public let address: IPAddress
    public let length: Int

    public var description: String { "\(address)/\(length)" }

    /// Nil unless `text` is `ADDRESS/LENGTH` with a length of 1…32 (IPv4) or 1…128 (IPv6).
    public init?(_ text: String) {
        guard let slash = text.lastIndex(of: "/"), let address = IPAddress(String(text[..<slash])) else { return nil }
        let digits = text[text.index(after: slash)...]
        guard (1...3).contains(digits.utf8.count), digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let length = Int(digits), (1...address.bytes.count * 8).contains(length) else { return nil }
        self.address = address
        self.length = length
    }
}
