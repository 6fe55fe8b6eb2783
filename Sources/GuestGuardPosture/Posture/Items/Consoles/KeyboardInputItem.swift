import GuestGuardCore
import CanonicalJSON

/// The emulated keyboard (channels.md C7): even without a getty it reaches the VT layer (SAK,
/// VT switching, Ctrl-Alt-Del, SysRq). Reported by default; unbinding is not automated, so the
/// item has no enforce action.
public struct KeyboardInputItem: PostureItem {
    public let id = "keyboard-input"
    public let title = "emulated keyboards"
    public let channel: String? = "P15"
    public init() {}

    static let drivers = ["/sys/bus/serio/drivers/atkbd", "/sys/bus/vmbus/drivers/hyperv_keyboard", "/sys/bus/virtio/drivers/virtio_input"]
    static let controlFiles: Set<String> = ["bind", "unbind", "uevent", "module", "new_id", "remove_id"]

    public func evaluate(_ context: PostureContext) -> PostureFinding {
        var bound: [String] = []
        for driver in Self.drivers {
            for entry in (try? context.files.listDirectory(driver)) ?? [] where !Self.controlFiles.contains(entry) {
                bound.append("\(driver.split(separator: "/").last ?? "")/\(entry)")
            }
        }
        let details: [String: JSONValue] = ["bound": .array(bound.map { .string($0) })]
        if bound.isEmpty { return finding(.ok, "no keyboard driver bound", details) }
        return finding(.warn, "host-emulated keyboard bound: \(bound.joined(separator: ", "))", details)
    }
}
