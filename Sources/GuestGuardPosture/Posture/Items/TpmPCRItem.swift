import GuestGuardCore
import CanonicalJSON

/// `vtpm-pcrs`: the SHA-256 PCR values the kernel exposes (`/sys/class/tpm/tpm0/pcr-sha256/N`,
/// Linux 5.12+), and whether PCR 15 carries guestguard's unlock measurement (non-zero, with the
/// event `guestguard unlock` recorded in `/run/guestguard/unlock-measurement.json`).
public struct TpmPCRItem: PostureItem {
    public let id = "vtpm-pcrs"
    public let title = "vTPM PCR values"
    /// Where `guestguard unlock --tpm` records the measured document (one JSON line per event).
    public static let eventLogPath = UnlockMeasurement.eventLogPath
    public let unlockPCR: Int

    public init(unlockPCR: Int = 15) {
        self.unlockPCR = unlockPCR
    }

    public func evaluate(_ context: PostureContext) -> PostureFinding {
        let bank = TpmKind.sysfsDirectory + "/pcr-sha256"
        guard context.files.exists(TpmKind.sysfsDirectory) else { return finding(.ok, "no TPM: no PCRs") }
        guard context.files.exists(bank) else { return finding(.unknown, "\(bank) is absent (kernel older than 5.12, or no SHA-256 bank)") }
        var values: [String: JSONValue] = [:]
        for index in 0..<24 {
            guard let text = try? context.files.readText("\(bank)/\(index)", limit: 256) else { continue }
            values[String(index)] = .string(text.trimmingWhitespace().lowercased())
        }
        guard case .string(let unlock)? = values[String(unlockPCR)] else {
            return finding(.unknown, "cannot read \(bank)/\(unlockPCR)", ["pcrs": .object(values)])
        }
        var details: [String: JSONValue] = ["pcrs": .object(values)]
        let events = (try? context.files.readText(Self.eventLogPath, limit: 1 << 16))?.split(separator: "\n").map { JSONValue.string(String($0)) } ?? []
        details["unlock-events"] = .array(events)
        if unlock.allSatisfy({ $0 == "0" }) {
            return finding(.ok, "PCR \(unlockPCR) is zero: no unlock measured since boot", details)
        }
        let recorded = events.isEmpty ? "" : " (\(events.count) unlock event(s) recorded)"
        return finding(.ok, "PCR \(unlockPCR) = \(unlock.prefix(16))…: extended since boot\(recorded)", details)
    }
}
