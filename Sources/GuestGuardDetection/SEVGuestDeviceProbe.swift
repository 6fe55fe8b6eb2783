import CanonicalJSON
import GuestGuardPlatform
import SNPABI

/// The SNP guest driver's footprint: `/sys/devices/platform/sev-guest` (the platform device the
/// kernel registers only in an SNP guest with a secrets page) or `/dev/sev-guest` (the request
/// device created when the `sev-guest` driver binds).
public struct SEVGuestDeviceProbe: EncryptionSignalProbe {
    public let source: SignalSource
    private let path: String
    private let expectedKind: FileKind

    /// The sysfs platform device.
    public static let platformDevice = SEVGuestDeviceProbe(source: .sevGuestPlatformDevice, path: "/sys/devices/platform/sev-guest", kind: .directory)
    /// The character device.
    public static let characterDevice = SEVGuestDeviceProbe(source: .sevGuestDevice, path: "/dev/sev-guest", kind: .characterDevice)

    init(source: SignalSource, path: String, kind: FileKind) {
        self.source = source
        self.path = path
        self.expectedKind = kind
    }

    public func read(_ environment: DetectionEnvironment) -> SignalReading {
        let status: FileStatus?
        do {
            status = try environment.files.status(path)
        } catch {
            return SignalReading(source: source, trust: .kernelReported, status: .unavailable, summary: "cannot stat \(path): \(error)")
        }
        guard let status else {
            let hint = source == .sevGuestDevice ? " (not an SNP guest, or the sev-guest module is not loaded)" : " (not an SNP guest)"
            return SignalReading(source: source, trust: .kernelReported, status: .absent, summary: "\(path) absent" + hint)
        }
        guard status.kind == expectedKind else {
            return SignalReading(source: source, trust: .kernelReported, status: .malformed,
                                 summary: "\(path) is a \(status.kind.rawValue), not a \(expectedKind.rawValue)",
                                 values: ["kind": .string(status.kind.rawValue)])
        }
        return SignalReading(source: source, trust: .kernelReported, status: .observed, impliedMode: .sevSNP,
                             summary: "\(path) present: the kernel runs as an SEV-SNP guest")
    }
}
