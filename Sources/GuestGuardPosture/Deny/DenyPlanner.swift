import GuestGuardCore
import GuestGuardPlatform

/// Computes a deny plan: the rules of every enforced item, compared with the current state, give
/// the changes still needed. Read-only: it calls only the reading half of `FileSystem`
/// (`readFile`, `status`, `kind`, `listDirectory`) and of `ServiceManager` (`unitFileState`,
/// `isActive`), so `--dry-run` cannot write.
public struct DenyPlanner: Sendable {
    public let files: any FileSystem
    public let services: any ServiceManager

    public init(files: any FileSystem, services: any ServiceManager) {
        self.files = files
        self.services = services
    }

    public func plan(_ items: [any PostureItem] = PostureCatalog.all, policy: DenyPolicy) throws(DenyError) -> DenyPlan {
        let enforced = policy.enforced(items)
        var steps: [DenyStep] = []
        var notes: [String] = []

        // Shared files, rendered whole from every enforced item's lines (an item turned off loses its
        // lines; no enforced item at all removes the file).
        var sysctlLines: [(String, String, String)] = []
        var moduleLines: [(String, String)] = []
        var ownedFiles: [(String, String, [UInt8], UInt32, Bool)] = []   // item, path, contents, mode, only-if-absent
        var units: [(String, String)] = []
        var attributes: [(String, String, String)] = []
        for item in enforced {
            for rule in item.rules {
                switch rule {
                case .maskUnits(let names): units += names.map { (item.id, $0) }
                case .sysctl(let key, let value): sysctlLines.append((item.id, key, value))
                case .blockModules(let modules): moduleLines += modules.map { (item.id, $0) }
                case .ownedFile(let path, let contents): ownedFiles.append((item.id, path, Array(contents.utf8), 0o644, false))
                case .ensureFile(let path, let mode): ownedFiles.append((item.id, path, [], mode, true))
                case .kernelAttribute(let path, let value): attributes.append((item.id, path, value))
                }
            }
        }

        let sysctlFile = sysctlLines.isEmpty ? nil : Self.render(header: "sysctl.d(5)", sysctlLines.map { ($0.0, "\($0.1) = \($0.2)") })
        if let step = try fileStep(DenyRule.sysctlDropIn, want: sysctlFile, mode: 0o644, items: Self.unique(sysctlLines.map(\.0))) { steps.append(step) }
        let moduleFile = moduleLines.isEmpty ? nil : Self.render(header: "modprobe.d(5)", moduleLines.map { ($0.0, "install \($0.1) /bin/false") })
        if let step = try fileStep(DenyRule.modprobeFile, want: moduleFile, mode: 0o644, items: Self.unique(moduleLines.map(\.0))) { steps.append(step) }
        if !moduleLines.isEmpty, steps.contains(where: { $0.change.subject == DenyRule.modprobeFile }) {
            notes.append("regenerate the initramfs (update-initramfs -u) so the module blocks apply in early boot")
        }
        for (item, path, contents, mode, onlyIfAbsent) in ownedFiles {
            if onlyIfAbsent, files.exists(path) { continue }
            // The journal keeps bytes, not links: a link is left alone rather than restored wrongly.
            if files.kind(path) == .symbolicLink {
                notes.append("\(path) is a symbolic link: \(item) leaves it alone")
                continue
            }
            if let step = try fileStep(path, want: contents, mode: mode, items: [item]) { steps.append(step) }
        }

        for (item, key, value) in sysctlLines {
            let path = DenyRule.procPath(sysctl: key)
            guard files.exists(path) else {
                notes.append("\(key) is not in this kernel: only the sysctl.d line is written")
                continue
            }
            let current: String
            do { current = try files.readText(path, limit: 4096).trimmingWhitespace() } catch { throw .inspect(subject: key, error) }
            if !DenyRule.sameSysctlValue(current, value) { steps.append(DenyStep(itemIDs: [item], change: .sysctl(key: key, before: current, after: value))) }
        }

        var seenUnits = Set<String>()
        for (item, unit) in units where seenUnits.insert(unit).inserted {
            // `systemctl mask` refuses to replace an admin's own unit file; say so instead of failing half-way.
            if files.kind("/etc/systemd/system/\(unit)") == .regular, ((try? files.status("/etc/systemd/system/\(unit)"))??.size ?? 0) > 0 {
                notes.append("/etc/systemd/system/\(unit) is a unit file of its own: move it away so \(item) can mask the unit")
                continue
            }
            let state: UnitFileState
            let active: Bool
            do {
                state = try services.unitFileState(unit)
                active = state.isInstalled ? try services.isActive(unit) : false
            } catch { throw .inspect(subject: unit, error) }
            if state != .masked || active { steps.append(DenyStep(itemIDs: [item], change: .unit(name: unit, before: state, wasActive: active))) }
        }

        for (item, path, value) in attributes {
            guard files.exists(path) else {
                notes.append("\(path) does not exist: \(item) cannot be enforced on this kernel")
                continue
            }
            let current: String
            do { current = DenyRule.selectedValue(try files.readText(path, limit: 4096)) } catch { throw .inspect(subject: path, error) }
            if current != value { steps.append(DenyStep(itemIDs: [item], change: .attribute(path: path, before: current, after: value))) }
        }
        return DenyPlan(steps: steps, notes: notes)
    }

    /// The change that makes `path` hold `want` (nil: absent), or nil when it already does.
    func fileStep(_ path: String, want: [UInt8]?, mode: UInt32, items: [String]) throws(DenyError) -> DenyStep? {
        let before: [UInt8]?
        let beforeMode: UInt32?
        do {
            if let status = try files.status(path) {
                before = try files.readFile(path, limit: 4 << 20)
                beforeMode = status.permissions
            } else {
                before = nil
                beforeMode = nil
            }
        } catch { throw .inspect(subject: path, error) }
        if before == want, want == nil || beforeMode == mode { return nil }
        var missing: [String] = []
        if want != nil {
            var parent = path
            while let slash = parent.lastIndex(of: "/"), slash != parent.startIndex {
                parent = String(parent[..<slash])
                if files.exists(parent) { break }
                missing.insert(parent, at: 0)
            }
        }
        return DenyStep(itemIDs: items, change: .file(path: path, before: before, beforeMode: beforeMode, after: want, mode: mode, createdDirectories: missing))
    }

    static func render(header: String, _ lines: [(String, String)]) -> [UInt8] {
        var text = "# Written by guestguard deny (\(header)); guestguard deny --undo restores the previous state.\n"
        var lastItem = ""
        for (item, line) in lines {
            if item != lastItem { text += "# \(item)\n"; lastItem = item }
            text += line + "\n"
        }
        return Array(text.utf8)
    }

    static func unique(_ ids: [String]) -> [String] {
        var seen = Set<String>()
        return ids.filter { seen.insert($0).inserted }
    }
}
