import GuestGuardConfig
import SNPABI

/// What the simulated secure processor puts into its reports and its VCEK (`DIR/simulator.toml`).
///
/// Format version 1:
/// ```toml
/// version = 1
/// generation = "milan"        # milan | genoa | turin
/// report-version = 3          # 3 or 5 (AMD firmware ≥ 1.55 emits 3; newer 5)
/// measurement = "<96 hex>"
/// policy = "0x30000"          # guest policy (bit 17 must be set)
/// guest-svn = 0
/// chip-id = "<128 hex>"       # Turin: only the first 8 bytes may be non-zero
/// family-id = "<32 hex>"      # optional, likewise image-id (32), host-data (64),
///                             # id-key-digest (96), author-key-digest (96)
/// platform-info = "0x1"
/// firmware = "1.55.40"
/// [tcb]                       # the REPORTED/CURRENT/COMMITTED/LAUNCH TCB and the VCEK's SPLs
/// bootloader = 3
/// tee = 0
/// snp = 8
/// microcode = 115
/// fmc = 0                     # Turin only
/// ```
public struct SimulatorSettings: Sendable, Hashable {
    public static let formatVersion = 1

    public var generation: ProcessorGeneration = .milan
    public var reportVersion: UInt32 = 3
    public var measurement = [UInt8](repeating: 0, count: 48)
    public var policy: UInt64 = 0x30000
    public var guestSVN: UInt32 = 0
    public var chipID = [UInt8](repeating: 0, count: 64)
    public var familyID = [UInt8](repeating: 0, count: 16)
    public var imageID = [UInt8](repeating: 0, count: 16)
    public var hostData = [UInt8](repeating: 0, count: 32)
    public var idKeyDigest = [UInt8](repeating: 0, count: 48)
    public var authorKeyDigest = [UInt8](repeating: 0, count: 48)
    public var platformInfo: UInt64 = 0x1
    public var firmware = FirmwareVersion(major: 1, minor: 55, build: 40)
    public var bootLoader: UInt8 = 3
    public var tee: UInt8 = 0
    public var snp: UInt8 = 8
    public var microcode: UInt8 = 115
    public var fmc: UInt8 = 0

    public init() {}

    /// The TCB every report states and the VCEK is derived from.
    public var tcb: TCBVersion {
        TCBVersion(bootLoader: bootLoader, tee: tee, snp: snp, microcode: microcode,
                   fmc: generation.usesTurinTCBLayout ? fmc : nil, generation: generation)
    }

    /// CPUID family/model/stepping a v3+ report carries for this generation.
    public var cpuid: (family: UInt8, model: UInt8, stepping: UInt8) {
        switch generation {
        case .milan: return (0x19, 0x01, 0x01)
        case .genoa: return (0x19, 0x11, 0x01)
        case .turin: return (0x1A, 0x02, 0x00)
        }
    }

    /// Checks the values a real PSP would never produce.
    public func validate() throws(SimulatorError) {
        guard reportVersion == 3 || reportVersion == 5 else {
            throw .invalidSetting(key: "report-version", reason: "must be 3 or 5, found \(reportVersion)")
        }
        guard policy & (1 << 17) != 0 else { throw .invalidSetting(key: "policy", reason: "bit 17 (reserved, must be one) is clear") }
        guard policy >> 26 == 0 else { throw .invalidSetting(key: "policy", reason: "bits 63:26 are reserved and must be zero") }
        if generation == .turin, chipID[8...].contains(where: { $0 != 0 }) {
            throw .invalidSetting(key: "chip-id", reason: "Turin chip IDs are 8 bytes: bytes 8…63 must be zero")
        }
    }
}
