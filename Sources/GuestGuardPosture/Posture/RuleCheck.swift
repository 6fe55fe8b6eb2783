import GuestGuardCore
import CanonicalJSON
import GuestGuardPlatform

/// Checks an item's deny rules, and the processes it names, against the current state: the
/// shared evaluation of the channel items (channels.md §11 "what to watch").
///
/// A unit that is installed and not masked, a running agent, a wrong kernel value, a blocked
/// module that is loaded, or a one-way attribute not set fail; a module that is not blocked, a
/// runtime-only mask, or a guestguard file that differs warn; a missing unit is only noted (the
/// channel is absent, though `enforce` still places a mask). What cannot be read (`/proc/modules`,
/// a unit's run state, the process list in `/proc`) is `unknown`, never taken as "not loaded" or "not running".
struct RuleCheck {
    var failures: [String] = []
    var warnings: [String] = []
    var unknowns: [String] = []
    var notes: [String] = []
    var details: [String: JSONValue] = [:]

    init(_ rules: [DenyRule], processes: [String], context: PostureContext) {
        var units: [String: JSONValue] = [:]
        var sysctls: [String: JSONValue] = [:]
        var attributes: [String: JSONValue] = [:]
        var loaded: Result<Set<String>, PlatformError>?
        for rule in rules {
            switch rule {
            case .maskUnits(let names):
                for unit in names { units[unit] = .string(checkUnit(unit, context)) }
            case .sysctl(let key, let value):
                sysctls[key] = checkSysctl(key, value, context)
            case .blockModules(let modules):
                if loaded == nil {
                    loaded = Result { () throws(PlatformError) in try Self.loadedModules(context.files) }
                    if case .failure(let error) = loaded { unknowns.append("cannot read /proc/modules: \(error)") }
                }
                let blocked = Self.blockedModules(context.files)
                for module in modules {
                    if case .success(let names) = loaded, names.contains(module.replacingDashes) { failures.append("module \(module) is loaded") }
                    else if !blocked.contains(module.replacingDashes) { warnings.append("module \(module) is not blocked in /etc/modprobe.d") }
                }
                details["modules"] = .array(modules.map { .string($0) })
            case .ownedFile(let path, let contents):
                let current = try? context.files.readFile(path, limit: 1 << 20)
                if current != Array(contents.utf8) { warnings.append("\(path) \(current == nil ? "is absent" : "differs from guestguard's")") }
            case .ensureFile(let path, _):
                if !context.files.exists(path) { warnings.append("\(path) is absent") }
            case .kernelAttribute(let path, let value):
                guard context.files.exists(path) else { notes.append("\(path) absent in this kernel"); continue }
                do {
                    let current = DenyRule.selectedValue(try context.files.readText(path, limit: 4096))
                    attributes[path] = .string(current)
                    if current != value { failures.append("\(path) is \(current), not \(value)") }
                } catch { unknowns.append("cannot read \(path): \(error)") }
            }
        }
        switch context.processNames {
        case .success:
            for name in processes where context.isRunning(name) == true { failures.append("process \(name) runs") }
        case .failure(let error):
            if !processes.isEmpty { unknowns.append("cannot tell whether \(processes.joined(separator: " or ")) runs: cannot list /proc: \(error)") }
        }
        if !units.isEmpty { details["units"] = .object(units) }
        if !sysctls.isEmpty { details["sysctl"] = .object(sysctls) }
        if !attributes.isEmpty { details["attributes"] = .object(attributes) }
    }

    private mutating func checkUnit(_ unit: String, _ context: PostureContext) -> String {
        let state: UnitFileState
        do { state = try context.services.unitFileState(unit) } catch {
            unknowns.append("\(unit): \(error)")
            return "unknown"
        }
        switch state {
        case .masked: break
        case .notFound: notes.append("\(unit) absent")
        case .maskedRuntime: warnings.append("\(unit) is masked only until reboot")
        default: failures.append("\(unit) is \(state.rawValue), not masked")
        }
        if state.isInstalled {
            do {
                if try context.services.isActive(unit) { failures.append("\(unit) is running") }
            } catch {
                unknowns.append("\(unit): cannot tell whether it runs: \(error)")
            }
        }
        return state.rawValue
    }

    private mutating func checkSysctl(_ key: String, _ value: String, _ context: PostureContext) -> JSONValue {
        let path = DenyRule.procPath(sysctl: key)
        guard context.files.exists(path) else {
            notes.append("\(key) not in this kernel")
            return .null
        }
        do {
            let current = try context.files.readText(path, limit: 4096).trimmingWhitespace()
            if !DenyRule.sameSysctlValue(current, value) { failures.append("\(key)=\(current), want \(value)") }
            return .string(current)
        } catch {
            unknowns.append("cannot read \(path): \(error)")
            return .null
        }
    }

    /// Module names from `/proc/modules` (first field; the kernel spells them with underscores).
    /// An absent file is a kernel without loadable modules (`CONFIG_MODULES=n`): nothing is loaded.
    /// Any other failure throws: an unreadable list says nothing about what is loaded.
    static func loadedModules(_ files: any FileSystem) throws(PlatformError) -> Set<String> {
        let text: String
        do { text = try files.readText("/proc/modules", limit: 4 << 20) } catch {
            if error.errno == ErrnoName.ENOENT { return [] }
            throw error
        }
        return Set(text.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) })
    }

    /// Modules with `install NAME /bin/false` (or `/bin/true`) or `blacklist`-proof installs in
    /// any `/etc/modprobe.d/*.conf`.
    static func blockedModules(_ files: any FileSystem) -> Set<String> {
        var blocked = Set<String>()
        for name in (try? files.listDirectory("/etc/modprobe.d")) ?? [] where name.hasSuffix(".conf") {
            let text = (try? files.readText("/etc/modprobe.d/\(name)", limit: 1 << 20)) ?? ""
            for line in text.split(separator: "\n") {
                let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
                if words.count >= 3, words[0] == "install", ["/bin/false", "/bin/true", "/usr/bin/false", "/usr/bin/true"].contains(String(words[2])) {
                    blocked.insert(String(words[1]).replacingDashes)
                }
            }
        }
        return blocked
    }
}

fileprivate extension String {
    /// modprobe treats `-` and `_` in module names alike.
    var replacingDashes: String { String(map { $0 == "-" ? "_" : $0 }) }
}
