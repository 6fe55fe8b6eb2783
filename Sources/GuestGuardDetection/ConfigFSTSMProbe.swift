import CanonicalJSON
import GuestGuardPlatform
import SNPABI

/// configfs-tsm (`/sys/kernel/config/tsm/report`, kernel ≥ 6.7). The directory exists once a
/// provider registered; the provider name is read from an existing report entry if one is there
/// (creating an entry is the report fetcher's job, not detection's).
public struct ConfigFSTSMProbe: EncryptionSignalProbe {
    public let source = SignalSource.configfsTSM
    static let directory = "/sys/kernel/config/tsm/report"
    public init() {}

    public func read(_ environment: DetectionEnvironment) -> SignalReading {
        let files = environment.files
        guard files.kind(Self.directory) == .directory else {
            let configfs = files.kind("/sys/kernel/config") == .directory
            return SignalReading(source: source, trust: .kernelReported, status: .absent,
                                 summary: configfs ? "\(Self.directory) absent (no TSM provider loaded, or kernel < 6.7)"
                                     : "configfs not mounted at /sys/kernel/config")
        }
        let entries: [String]
        do { entries = try files.listDirectory(Self.directory) } catch {
            return SignalReading(source: source, trust: .kernelReported, status: .unavailable, summary: "cannot list \(Self.directory): \(error)")
        }
        var values: [String: JSONValue] = ["entries": .integer(Int64(entries.count))]
        for entry in entries {
            guard let text = try? files.readText("\(Self.directory)/\(entry)/provider", limit: 256) else { continue }
            let provider = text.trimmingWhitespace()
            values["provider"] = .string(provider)
            var floor: Int?
            if let floorText = try? files.readText("\(Self.directory)/\(entry)/privlevel_floor", limit: 64) {
                floor = Int(floorText.trimmingWhitespace())
                values["privlevelFloor"] = .optional(floor)
            }
            switch provider {
            case "sev_guest":
                return SignalReading(source: source, trust: .kernelReported, status: .observed, impliedMode: .sevSNP,
                                     summary: "provider sev_guest: SNP reports available through configfs-tsm",
                                     values: values, svsm: floor.map { $0 > 0 })
            case "tdx_guest":
                return SignalReading(source: source, trust: .kernelReported, status: .observed,
                                     summary: "provider tdx_guest: an Intel TDX guest", values: values, otherTEE: "intel-tdx")
            case "":
                return SignalReading(source: source, trust: .kernelReported, status: .malformed,
                                     summary: "\(Self.directory)/\(entry)/provider is empty", values: values)
            default:
                return SignalReading(source: source, trust: .kernelReported, status: .observed,
                                     summary: "provider \(provider): not an AMD SEV provider", values: values, otherTEE: provider)
            }
        }
        return SignalReading(source: source, trust: .kernelReported, status: .observed,
                             summary: "\(Self.directory) present (a TSM provider is registered; no entry to read its name from)",
                             values: values)
    }
}
