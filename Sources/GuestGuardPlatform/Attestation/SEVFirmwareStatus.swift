/// An SEV firmware status code (`enum sev_ret_code`, `<linux/psp-sev.h>`), as found in the low 32
/// bits of `exitinfo2` and in the STATUS field of MSG_REPORT_RSP.
public struct SEVFirmwareStatus: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `SEV_RET_SUCCESS`.
    public static let success = SEVFirmwareStatus(rawValue: 0)
    /// `SEV_RET_INVALID_PARAM` (0x16): for a report request, typically a VMPL below the guest's own.
    public static let invalidParam = SEVFirmwareStatus(rawValue: 0x16)
    /// `SEV_RET_INVALID_KEY` (0x27): the message was not encrypted with a valid VMPCK.
    public static let invalidKey = SEVFirmwareStatus(rawValue: 0x27)

    /// The symbolic name for the codes guestguard names, nil for the others.
    public var name: String? {
        switch rawValue {
        case 0: return "SUCCESS"
        case 0x16: return "INVALID_PARAM"
        case 0x27: return "INVALID_KEY"
        default: return nil
        }
    }

    /// `INVALID_PARAM (0x16)`, or `status 0x1a` for unnamed codes.
    public var description: String {
        let hex = "0x" + String(rawValue, radix: 16)
        return name.map { "\($0) (\(hex))" } ?? "status \(hex)"
    }
}
