/// A field (or bit) of the ATTESTATION_REPORT that a violation is about, named as in AMD #56860
/// (`docs/snp-abi.md` §3).
public struct ReportField: Sendable, Hashable, CustomStringConvertible {
    /// The spec name; sub-fields after a dot: `POLICY.DEBUG`, `REPORTED_TCB.SNP`.
    public let name: String
    /// Byte offset of the field in the report.
    public let offset: Int
    /// The bit within the field, for single-bit flags.
    public let bit: Int?

    public init(name: String, offset: Int, bit: Int? = nil) {
        self.name = name
        self.offset = offset
        self.bit = bit
    }

    /// `POLICY.DEBUG (0x008 bit 19)`, `MEASUREMENT (0x090)`.
    public var description: String {
        let hex = String(offset, radix: 16, uppercase: true)
        let location = "0x" + String(repeating: "0", count: max(0, 3 - hex.count)) + hex
        return bit.map { "\(name) (\(location) bit \($0))" } ?? "\(name) (\(location))"
    }

    public static let guestSVN = ReportField(name: "GUEST_SVN", offset: 0x004)
    public static let policyABI = ReportField(name: "POLICY.ABI_MAJOR.ABI_MINOR", offset: 0x008)
    public static let policySMT = ReportField(name: "POLICY.SMT", offset: 0x008, bit: 16)
    public static let policyMigrateMA = ReportField(name: "POLICY.MIGRATE_MA", offset: 0x008, bit: 18)
    public static let policyDebug = ReportField(name: "POLICY.DEBUG", offset: 0x008, bit: 19)
    public static let policySingleSocket = ReportField(name: "POLICY.SINGLE_SOCKET", offset: 0x008, bit: 20)
    public static let familyID = ReportField(name: "FAMILY_ID", offset: 0x010)
    public static let imageID = ReportField(name: "IMAGE_ID", offset: 0x020)
    public static let vmpl = ReportField(name: "VMPL", offset: 0x030)
    public static let reportData = ReportField(name: "REPORT_DATA", offset: 0x050)
    public static let measurement = ReportField(name: "MEASUREMENT", offset: 0x090)
    public static let hostData = ReportField(name: "HOST_DATA", offset: 0x0C0)
    public static let idKeyDigest = ReportField(name: "ID_KEY_DIGEST", offset: 0x0E0)
    public static let authorKeyDigest = ReportField(name: "AUTHOR_KEY_DIGEST", offset: 0x110)
    public static let reportIDMA = ReportField(name: "REPORT_ID_MA", offset: 0x160)
    public static let currentFirmware = ReportField(name: "CURRENT_MAJOR.MINOR.BUILD", offset: 0x1E8)
}
