import GuestGuardLinux
import GuestGuardPlatform
import SNPABI

/// `ServiceManager` over `/usr/bin/systemctl` (systemd 252 on Debian 12).
///
/// With a non-empty `root` every call gets `--root=ROOT` and works on the unit files under it
/// (offline mode: `is-enabled`, `mask`, `unmask`); runtime calls (`is-active`, `stop`, `start`)
/// are skipped then, as they are when systemd is not PID 1 (no `/run/systemd/system`, the test
/// `sd_booted(3)` uses). Unit names are passed after `--`, so a name cannot become an option.
public struct SystemctlServiceManager: ServiceManager {
    public let root: String
    public let program: String
    let runner = ProgramRunner()
    let files: HostFileSystem

    public init(root: String = "", program: String = "/usr/bin/systemctl") {
        self.files = HostFileSystem(root: root)
        self.root = files.root
        self.program = program
    }

    /// True when systemd runs this system (`sd_booted`: `/run/systemd/system` exists) and no
    /// `--root` is in use.
    public var isOnline: Bool { root.isEmpty && files.kind("/run/systemd/system") == .directory }

    var rootArguments: [String] { root.isEmpty ? [] : ["--root=\(root)"] }

    /// systemd's unit search path (systemd.unit(5), "System Unit Search Path"), where unit files,
    /// alias links and masks live.
    static let searchPath = [
        "/etc/systemd/system.control", "/run/systemd/system.control", "/run/systemd/transient", "/run/systemd/generator.early",
        "/etc/systemd/system", "/etc/systemd/system.attached", "/run/systemd/system", "/run/systemd/system.attached",
        "/run/systemd/generator", "/usr/local/lib/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system",
        "/run/systemd/generator.late",
    ]

    /// Whether any file by this name, or for an instance its template's, is in the search path.
    /// When none is, the unit is not found and systemctl need not be asked (most of the agents
    /// guestguard masks are not installed; this saves a process per such unit and re-check).
    func hasUnitFile(_ unit: String) -> Bool {
        var names = [unit]
        if let at = unit.firstIndex(of: "@"), let dot = unit.lastIndex(of: "."), at < dot {
            names.append(String(unit[...at]) + String(unit[dot...]))
        }
        return Self.searchPath.contains { directory in names.contains { files.kind("\(directory)/\($0)") != nil } }
    }

    public func unitFileState(_ unit: String) throws(PlatformError) -> UnitFileState {
        try Self.validate([unit])
        guard hasUnitFile(unit) else { return .notFound }
        let outcome = try runner.run(program, rootArguments + ["is-enabled", "--", unit])
        let word = outcome.standardOutput.split(whereSeparator: { $0 == "\n" || $0 == " " }).first.map(String.init) ?? ""
        if !word.isEmpty { return UnitFileState(systemctlWord: word) }
        if outcome.standardError.containsText("No such file or directory") || outcome.standardError.containsText("not found") { return .notFound }
        throw PlatformError(operation: "systemctl is-enabled", target: unit, errno: 0, detail: "exit \(outcome.status): \(Self.firstLine(outcome.standardError))")
    }

    public func isActive(_ unit: String) throws(PlatformError) -> Bool {
        try Self.validate([unit])
        guard isOnline else { return false }
        let outcome = try runner.run(program, ["is-active", "--", unit])
        let word = outcome.standardOutput.split(separator: "\n").first.map(String.init) ?? ""
        return ["active", "activating", "reloading", "deactivating"].contains(word)
    }

    public func mask(_ units: [String]) throws(PlatformError) { try change("mask", units, offline: true) }
    public func unmask(_ units: [String]) throws(PlatformError) { try change("unmask", units, offline: true) }
    public func stop(_ units: [String]) throws(PlatformError) { try change("stop", units, offline: false) }
    public func start(_ units: [String]) throws(PlatformError) { try change("start", units, offline: false) }

    private func change(_ verb: String, _ units: [String], offline: Bool) throws(PlatformError) {
        try Self.validate(units)
        guard !units.isEmpty, offline || isOnline else { return }
        let outcome = try runner.run(program, (offline ? rootArguments : []) + ["--no-ask-password", verb, "--"] + units)
        guard outcome.status == 0 else {
            throw PlatformError(operation: "systemctl \(verb)", target: units.joined(separator: " "), errno: 0,
                                detail: "exit \(outcome.status): \(Self.firstLine(outcome.standardError))")
        }
    }

    /// Unit names as systemd.unit(5) allows them (ASCII letters, digits, `:-_.\\@`, a type
    /// suffix), never starting with `-`: anything else is refused before systemctl sees it.
    static func validate(_ units: [String]) throws(PlatformError) {
        for unit in units {
            let allowed = unit.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || Array(":-_.\\@".utf8).contains(byte)
            }
            guard allowed, !unit.hasPrefix("-"), !unit.hasPrefix("."), unit.contains("."), unit.utf8.count <= 255 else {
                throw PlatformError(operation: "systemctl", target: unit, errno: ErrnoName.EINVAL, detail: "not a unit name")
            }
        }
    }

    static func firstLine(_ text: String) -> String {
        String(text.split(separator: "\n").first ?? "no output")
    }
}
