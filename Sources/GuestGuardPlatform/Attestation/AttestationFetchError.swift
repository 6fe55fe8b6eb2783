/// Why an SNP attestation report could not be obtained. Every case names the interface and the
/// cause (errno by name, firmware status and VMM error from `exitinfo2` by name).
public indirect enum AttestationFetchError: Error, Sendable, Hashable, CustomStringConvertible {
    /// REPORT_DATA must be exactly 64 bytes; carries the length given.
    case invalidReportDataLength(Int)
    /// VMPL above 3 (`TSM_PRIVLEVEL_MAX`).
    case invalidVMPL(UInt32)
    /// The interface does not exist here: configfs-tsm missing or without a provider, or no
    /// `/dev/sev-guest` (not an SNP guest, or the `sev-guest` module is not loaded).
    case unavailable(AttestationInterface, PlatformError)
    /// The configfs-tsm provider is not `sev_guest` (for example `tdx_guest`): not an SNP guest.
    case wrongTSMProvider(found: String)
    /// configfs-tsm refused `privlevel` (EINVAL): below `privlevel_floor` (the VMPL the guest runs
    /// at, when it could be read) or above 3.
    case vmplRejected(requested: UInt32, floor: UInt32?)
    /// A file or device operation failed (errno named inside).
    case system(AttestationInterface, PlatformError)
    /// An ioctl on `/dev/sev-guest` failed with `errno`; `exitInfo` holds the firmware status
    /// (bits 31:0) and VMM error (bits 63:32).
    case guestRequestFailed(command: SNPGuestCommand, errno: Int32, exitInfo: GuestRequestExitInfo)
    /// The ioctl returned the GHCB call's positive `es_result` (the hypervisor call failed).
    case hypervisorCallFailed(command: SNPGuestCommand, result: Int32)
    /// ENOTTY: the driver wiped its VMPCK after an earlier failed request ("VMPCK is disabled");
    /// no report can be had until the guest reboots.
    case vmpckDisabled(AttestationInterface)
    /// The MSG_REPORT_RSP STATUS field (offset 0x0 of the response) was not SUCCESS.
    case reportStatus(SEVFirmwareStatus)
    /// The report was not 0x4A0 bytes (configfs `outblob` length, or MSG_REPORT_RSP REPORT_SIZE).
    case wrongReportSize(AttestationInterface, actual: Int)
    /// The configfs-tsm entry's `generation` was not what this process's own writes produce:
    /// another writer changed the request while the report was read (or a write was lost).
    case concurrentWriter(entry: String, expectedGeneration: UInt64, observedGeneration: UInt64)
    /// A configfs-tsm text attribute did not hold what the ABI documents.
    case malformedAttribute(entry: String, attribute: String, value: String)
    /// The host wants a certificate buffer larger than the driver accepts (`SEV_FW_BLOB_MAX_SIZE`).
    case certificateBufferTooLarge(requested: UInt32, maximum: UInt32)
    /// A retryable condition (busy interface, certificate buffer resize) persisted for `attempts`
    /// attempts; `last` is the final failure.
    case retriesExhausted(AttestationInterface, attempts: Int, last: AttestationFetchError)
    /// Every provider of a fallback chain failed; one reason per provider, in order.
    case allProvidersFailed([AttestationProviderFailure])

    public var description: String {
        switch self {
        case .invalidReportDataLength(let count):
            return "REPORT_DATA must be exactly 64 bytes, got \(count)"
        case .invalidVMPL(let vmpl):
            return "VMPL \(vmpl) is out of range 0...3"
        case .unavailable(let interface, let error):
            return "\(interface) is not available: \(error)"
        case .wrongTSMProvider(let found):
            return "configfs-tsm provider is \"\(found)\", not \"sev_guest\": this is not an SEV-SNP guest"
        case .vmplRejected(let requested, let floor):
            let reason = floor.map { "the guest runs at VMPL \($0) (privlevel_floor)" } ?? "privlevel_floor unreadable"
            return "configfs-tsm rejected privlevel \(requested) (EINVAL): \(reason)"
        case .system(let interface, let error):
            return "\(interface): \(error)"
        case .guestRequestFailed(let command, let errno, let exitInfo):
            return "ioctl(\(command)) on /dev/sev-guest failed: \(ErrnoName.name(errno)), \(exitInfo)"
        case .hypervisorCallFailed(let command, let result):
            let name = result == 1 ? "ES_UNSUPPORTED" : result == 2 ? "ES_VMM_ERROR" : "es_result \(result)"
            return "ioctl(\(command)) on /dev/sev-guest: the hypervisor call failed (\(name))"
        case .vmpckDisabled(let interface):
            return "\(interface): VMPCK is disabled (ENOTTY): the driver wiped its key after an earlier failed request; reboot the guest"
        case .reportStatus(let status):
            return "sev-guest: MSG_REPORT_RSP STATUS is \(status)"
        case .wrongReportSize(let interface, let actual):
            return "\(interface): report is \(actual) bytes, expected 1184 (0x4A0)"
        case .concurrentWriter(let entry, let expected, let observed):
            return "configfs-tsm entry \(entry): generation is \(observed), expected \(expected): a concurrent writer changed the request"
        case .malformedAttribute(let entry, let attribute, let value):
            return "configfs-tsm entry \(entry): \(attribute) holds \"\(value)\""
        case .certificateBufferTooLarge(let requested, let maximum):
            return "sev-guest: the host needs a \(requested)-byte certificate buffer, more than the \(maximum) bytes the driver accepts"
        case .retriesExhausted(let interface, let attempts, let last):
            return "\(interface): gave up after \(attempts) attempts: \(last)"
        case .allProvidersFailed(let failures):
            return "no attestation provider succeeded: " + failures.map(\.description).joined(separator: "; ")
        }
    }
}

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

/// One provider's failure inside a fallback chain: which provider, and why.
public struct AttestationProviderFailure: Sendable, Hashable, CustomStringConvertible {
    /// The provider's name in the chain (for example `"configfs-tsm"`).
    public let provider: String
    public let error: AttestationFetchError

    public init(provider: String, error: AttestationFetchError) {
        self.provider = provider
        self.error = error
    }

    public var description: String { "\(provider): \(error)" }
}
