import SNPABI

/// A byte-string field of the report that a policy can require to hold an exact value.
public enum ReportBytesField: String, Sendable, Hashable, CaseIterable {
    /// REPORT_DATA (0x050, 64 bytes): chosen by the guest when it asks for the report.
    case reportData = "report-data"
    /// HOST_DATA (0x0C0, 32 bytes): supplied by the hypervisor at launch.
    case hostData = "host-data"
    /// FAMILY_ID (0x010, 16 bytes): from the ID block.
    case familyID = "family-id"
    /// IMAGE_ID (0x020, 16 bytes): from the ID block.
    case imageID = "image-id"
    /// ID_KEY_DIGEST (0x0E0, 48 bytes): SHA-384 of the ID block's public key.
    case idKeyDigest = "id-key-digest"
    /// AUTHOR_KEY_DIGEST (0x110, 48 bytes): SHA-384 of the ID block author's key.
    case authorKeyDigest = "author-key-digest"

    public var byteCount: Int {
        switch self {
        case .reportData: return 64
        case .hostData: return 32
        case .familyID, .imageID: return 16
        case .idKeyDigest, .authorKeyDigest: return 48
        }
    }

    public var reportField: ReportField {
        switch self {
        case .reportData: return .reportData
        case .hostData: return .hostData
        case .familyID: return .familyID
        case .imageID: return .imageID
        case .idKeyDigest: return .idKeyDigest
        case .authorKeyDigest: return .authorKeyDigest
        }
    }

    /// The check that reports a mismatch; it has the same name as the field's policy-file key.
    public var check: PolicyCheck { .expectedBytes(self) }

    public func value(in report: AttestationReport) -> [UInt8] {
        switch self {
        case .reportData: return report.reportData
        case .hostData: return report.hostData
        case .familyID: return report.familyID
        case .imageID: return report.imageID
        case .idKeyDigest: return report.idKeyDigest
        case .authorKeyDigest: return report.authorKeyDigest
        }
    }
}
