/// Login prompts on serial and virtualizer consoles (channels.md C1, §3.1): systemd-getty-generator
/// starts `serial-getty@` on every non-VT kernel console and on `hvc0 xvc0 hvsi0 sclp_line0
/// ttysclp0 3270/tty1` whenever the node exists. Masking the template masks every instance; the
/// named instances are masked as well so a later admin unmask of the template alone is not enough.
public struct SerialGettysItem: PostureItem {
    public let id = "serial-gettys"
    public let title = "serial and hypervisor gettys"
    public let channel: String? = "P09"
    public let defaultMode = DenyMode.enforce
    public init() {}

    static let instances = ["hvc0", "xvc0", "hvsi0", "sclp_line0", "ttysclp0", "3270-tty1", "ttyS0", "ttyAMA0"]

    public var rules: [DenyRule] {
        [.maskUnits(["serial-getty@.service"] + Self.instances.map { "serial-getty@\($0).service" })]
    }

    public func evaluate(_ context: PostureContext) -> PostureFinding {
        evaluateRules(context) { check in
            let generated = (try? context.files.listDirectory("/run/systemd/generator/getty.target.wants")) ?? []
            let serial = generated.filter { $0.hasPrefix("serial-getty@") }
            if !serial.isEmpty { check.notes.append("generator wants \(serial.joined(separator: ", "))") }
        }
    }
}
