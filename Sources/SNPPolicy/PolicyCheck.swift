/// Which check found a violation. The raw values are the policy-file keys that configure the checks
/// (`docs/policy.md`), so a message points a tenant at the line to change.
public enum PolicyCheck: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case measurement = "measurements"
    case minimumTCB = "minimum-tcb"
    case debug = "debug"
    case migrationAgent = "migration-agent"
    case smt = "smt"
    case singleSocket = "single-socket"
    case vmpl = "vmpl"
    case reportData = "report-data"
    case hostData = "host-data"
    case familyID = "family-id"
    case imageID = "image-id"
    case idKeyDigest = "id-key-digest"
    case authorKeyDigest = "author-key-digest"
    case minimumGuestSVN = "minimum-guest-svn"
    case minimumFirmware = "minimum-firmware"
    case minimumABI = "minimum-abi"
    case platformInfo = "platform-info"

    public var description: String { rawValue }
}
