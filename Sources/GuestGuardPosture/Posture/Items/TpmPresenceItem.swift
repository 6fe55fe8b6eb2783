import GuestGuardCore
import CanonicalJSON

/// `vtpm`: whether the guest has a TPM 2.0 (`/sys/class/tpm/tpm0`, `tpm_version_major`). Having
/// none is fine; guestguard then sends no quote and measures nothing.
public struct TpmPresenceItem: PostureItem {
    public let id = "vtpm"
    public let title = "vTPM present"
    public init() {}

    public func evaluate(_ context: PostureContext) -> PostureFinding {
        let directory = TpmKind.sysfsDirectory
        guard context.files.exists(directory) else { return finding(.ok, "no TPM (\(directory) is absent): no quote, no unlock measurement") }
        let version: String
        do { version = try context.files.readText(directory + "/tpm_version_major", limit: 16).trimmingWhitespace() } catch {
            return finding(.unknown, "cannot read \(directory)/tpm_version_major: \(error)")
        }
        let details: [String: JSONValue] = ["version-major": .string(version), "device": .string("/dev/tpmrm0")]
        guard version == "2" else { return finding(.warn, "TPM version \(version) is not 2.0: guestguard uses only TPM 2.0", details) }
        return finding(.ok, "TPM 2.0 present (tpm0)", details)
    }
}
