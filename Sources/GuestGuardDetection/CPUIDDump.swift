import GuestGuardPlatform

/// CPUID answers recorded as text, one leaf per line: `leaf subleaf eax ebx ecx edx` in hex
/// (e.g. `0x8000001f 0x0 0x0001003b 0x00004173 0x1fd 0x80`). Used for offline inspection of a
/// captured system (`guestguard detect --root DIR` reads `DIR/cpuid.txt` when present).
public struct CPUIDDump: CPUIDReader {
    public let leaves: [UInt64: CPUIDResult]

    /// Why a dump line was rejected.
    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public let line: Int
        public let reason: String
        public var description: String { "cpuid dump line \(line): \(reason)" }
    }

    public init(parsing text: String) throws(ParseError) {
        var leaves: [UInt64: CPUIDResult] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if fields.isEmpty { continue }
            guard fields.count == 6 else { throw ParseError(line: index + 1, reason: "expected 6 hex fields, found \(fields.count)") }
            var values: [UInt32] = []
            for field in fields {
                let digits = field.hasPrefix("0x") ? field.dropFirst(2) : field[...]
                guard let value = UInt32(digits, radix: 16) else { throw ParseError(line: index + 1, reason: "\(String(reflecting: String(field))) is not a 32-bit hex number") }
                values.append(value)
            }
            leaves[UInt64(values[0]) << 32 | UInt64(values[1])] = CPUIDResult(eax: values[2], ebx: values[3], ecx: values[4], edx: values[5])
        }
        self.leaves = leaves
    }

    /// Unrecorded leaves read as zeros, as a CPU answers leaves above its maximum.
    public func cpuid(leaf: UInt32, subleaf: UInt32) -> CPUIDResult? {
        leaves[UInt64(leaf) << 32 | UInt64(subleaf)] ?? leaves[UInt64(leaf) << 32] ?? CPUIDResult(eax: 0, ebx: 0, ecx: 0, edx: 0)
    }
}
