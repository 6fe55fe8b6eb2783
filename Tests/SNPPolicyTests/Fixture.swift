import Foundation
import SNPABI

/// The real reports in `Fixtures/` (see Fixtures/README.md), and edits of them at ATTESTATION_REPORT
/// offsets (AMD #56860; `docs/snp-abi.md` §3).
enum Fixture: String, CaseIterable, Sendable {
    case goSEVGuest = "go-sev-guest-attestation.bin"
    case trustee = "trustee-test-report.bin"
    case trusteeVLEK = "trustee-test-vlek-report.bin"

    func bytes() throws -> [UInt8] {
        guard let base = Bundle.module.resourceURL else { throw MissingResources() }
        return [UInt8](try Data(contentsOf: base.appendingPathComponent("Fixtures").appendingPathComponent(rawValue)))
    }

    func report() throws -> AttestationReport {
        try AttestationReport(bytes: bytes())
    }

    /// The report after `edit` patched its bytes; it must still parse.
    func report(_ edit: (inout ReportBytes) -> Void) throws -> AttestationReport {
        var bytes = ReportBytes(bytes: try bytes())
        edit(&bytes)
        return try AttestationReport(bytes: bytes.bytes)
    }

    struct MissingResources: Error {}
}

/// A report's bytes with little-endian field setters.
struct ReportBytes {
    var bytes: [UInt8]

    mutating func set<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        for index in 0..<(T.bitWidth / 8) {
            bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index))
        }
    }

    mutating func set(_ value: [UInt8], at offset: Int) {
        bytes.replaceSubrange(offset..<offset + value.count, with: value)
    }

    func read<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
        var value: T = 0
        for index in 0..<(T.bitWidth / 8) { value |= T(bytes[offset + index]) << (8 * index) }
        return value
    }

    /// Sets or clears one bit of the u64 POLICY at 0x008.
    mutating func setPolicyBit(_ bit: Int, _ on: Bool) {
        let policy = read(UInt64.self, at: 0x008)
        set(on ? policy | 1 << UInt64(bit) : policy & ~(1 << UInt64(bit)), at: 0x008)
    }
}

/// `count` bytes 0x01, 0x02, …: distinct from every fixture's value in every byte field.
func pattern(_ count: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 + 1) }
}

/// Lower-case hex, written independently of the module's own encoder.
func hex(_ bytes: [UInt8]) -> String {
    bytes.map { String(format: "%02x", $0) }.joined()
}

/// Bytes from hex text (test literals only).
func bytes(hex text: String) -> [UInt8] {
    var result: [UInt8] = []
    var index = text.startIndex
    while index < text.endIndex {
        let next = text.index(index, offsetBy: 2)
        result.append(UInt8(text[index..<next], radix: 16)!)
        index = next
    }
    return result
}

enum Known {
    static let goSEVGuestMeasurement =
        "b07af9620f3b839b47996422ddec6058338951d984e312115131ea82705eaf5b6bdf8a9ece31a5a608eb0cf2e4872b01"
    static let trusteeMeasurement =
        "a1f3930413247bb38cfc171579ea3c12d5fe4901f0c792f63fd75d98f1ef827c23500644e0e692e6be917f9050d3d38c"
    static let goSEVGuestReportData = "0102030405" + String(repeating: "00", count: 59)
    static let noMigrationAgent = String(repeating: "ff", count: 32)
}
