/// The ways a guest obtains an SNP report; names the interface in errors and in
/// `RawAttestation.provider`.
public enum AttestationInterface: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `/sys/kernel/config/tsm/report` (Linux ≥ 6.7, `Documentation/ABI/testing/configfs-tsm-report`).
    case configFSTSM = "configfs-tsm"
    /// The `sev-guest` driver's `/dev/sev-guest` ioctls (`<linux/sev-guest.h>`).
    case sevGuestDevice = "sev-guest"
    /// The simulated AMD secure processor used in tests.
    case simulator = "simulator"

    public var description: String { rawValue }
}
