import GuestGuardCore
import CanonicalJSON
import GuestGuardPlatform

/// `vtpm-kind`: SVSM-provided (inside the CVM) or hypervisor-provided, from the driver bound to
/// tpm0, the SVSM signal of detection and, when the caller read them, the TPM's manufacturer
/// properties (`"MSFT"`: the reference TPM an SVSM runs; `"IBM "`: swtpm behind QEMU). A
/// hypervisor vTPM warns: the host owns it, so it must never seal keys.
public struct TpmKindItem: PostureItem {
    public let id = "vtpm-kind"
    public let title = "vTPM kind"
    /// TPM2_GetCapability properties, when the caller could open the TPM.
    public let properties: TPMProperties?

    public init(properties: TPMProperties? = nil) {
        self.properties = properties
    }

    public func evaluate(_ context: PostureContext) -> PostureFinding {
        let directory = TpmKind.sysfsDirectory
        guard context.files.exists(directory) else { return finding(.ok, "no TPM", ["kind": .string(TpmKind.none.rawValue)]) }
        let driver: String
        do {
            let link = try context.files.readLink(directory + "/device/driver")
            driver = String(link.split(separator: "/").last ?? Substring(link))
        } catch {
            return finding(.unknown, "cannot read \(directory)/device/driver: \(error)")
        }
        let kind = TpmKind.classify(driver: driver, svsmDetected: context.detection.svsm)
        var details: [String: JSONValue] = ["kind": .string(kind.rawValue), "driver": .string(driver), "svsm": .optional(context.detection.svsm)]
        if let properties {
            details["manufacturer"] = .string(properties.manufacturer)
            details["vendor"] = .string(properties.vendorString)
        }
        switch kind {
        case .svsm:
            return finding(.ok, "vTPM served by the SVSM inside the CVM (driver \(driver))", details)
        case .hypervisor where driver == TpmKind.svsmDriver:
            return finding(.fail, "driver \(driver) claims an SVSM vTPM but detection found no SVSM: treat it as host-provided", details)
        case .hypervisor:
            let maker = properties.map { " (manufacturer \"\($0.manufacturer)\")" } ?? ""
            return finding(.warn, "hypervisor-provided vTPM\(maker), driver \(driver): the host owns its state; use it for measurements only, never to seal keys", details)
        case .none:
            return finding(.ok, "no TPM", details)
        }
    }
}
