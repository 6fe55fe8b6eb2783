import GuestGuardCore
import GuestGuardPlatform

/// One concrete change of a deny plan, with what was there before: the undo journal stores these
/// as they are, and `--undo` puts every `before` back.
public enum DenyChange: Sendable, Hashable {
    /// A whole file replaced (`after` non-nil) or removed (`after` nil). `before` nil: the file
    /// did not exist. `createdDirectories` are the missing parents made for it (outermost first),
    /// removed again by undo when empty.
    case file(path: String, before: [UInt8]?, beforeMode: UInt32?, after: [UInt8]?, mode: UInt32, createdDirectories: [String])
    /// A unit masked (and stopped when it ran).
    case unit(name: String, before: UnitFileState, wasActive: Bool)
    /// A runtime kernel parameter written under `/proc/sys`.
    case sysctl(key: String, before: String, after: String)
    /// A one-way attribute (`sig_enforce`, the lockdown level): undo cannot revert it.
    case attribute(path: String, before: String, after: String)

    /// Apply order: files first (a module block must be on disk before anything loads the module),
    /// then kernel values, then units, then one-way attributes (lockdown last, as it may forbid
    /// what came before).
    var phase: Int {
        switch self {
        case .file: return 0
        case .sysctl: return 1
        case .unit: return 2
        case .attribute(let path, _, _): return path.hasSuffix("/lockdown") ? 4 : 3
        }
    }

    /// Whether `--undo` can restore the previous state.
    public var isReversible: Bool {
        switch self {
        case .attribute: return false
        case .sysctl(let key, _, _): return !DenyChange.oneWaySysctls.contains(key)
        default: return true
        }
    }

    /// Sysctls the kernel refuses to change back (channels.md §6 "one-way at runtime"; BPF: 1 is sticky).
    static let oneWaySysctls: Set<String> = ["kernel.kexec_load_disabled", "kernel.modules_disabled", "kernel.unprivileged_bpf_disabled"]

    /// The kind and subject: two changes with the same key touch the same thing.
    var key: String {
        switch self {
        case .file: return "file " + subject
        case .unit: return "unit " + subject
        case .sysctl: return "sysctl " + subject
        case .attribute: return "attribute " + subject
        }
    }

    /// What the change touches: a path, a unit name or a sysctl key.
    public var subject: String {
        switch self {
        case .file(let path, _, _, _, _, _): return path
        case .unit(let name, _, _): return name
        case .sysctl(let key, _, _): return key
        case .attribute(let path, _, _): return path
        }
    }
}
