import GuestGuardPlatform

/// Every path under a root with its kind, permissions and contents (link target for links):
/// two snapshots are equal exactly when the tree is.
struct TreeSnapshot: Equatable, CustomStringConvertible {
    var entries: [String: String] = [:]

    init(_ files: any FileSystem, under path: String = "/", skipping: Set<String> = []) {
        visit(files, path, skipping)
    }

    private mutating func visit(_ files: any FileSystem, _ path: String, _ skipping: Set<String>) {
        for name in (try? files.listDirectory(path)) ?? [] {
            let child = path == "/" ? "/" + name : path + "/" + name
            if skipping.contains(child) { continue }
            let kind = files.kind(child)
            let permissions = kind == .symbolicLink ? 0 : ((try? files.status(child))??.permissions ?? 0)
            switch kind {
            case .directory:
                entries[child] = "dir \(String(permissions, radix: 8))"
                visit(files, child, skipping)
            case .regular:
                let bytes = (try? files.readFile(child, limit: 64 << 20)).map { Self.fnv1a($0) } ?? 0
                entries[child] = "file \(String(permissions, radix: 8)) \(String(bytes, radix: 16))"
            case .symbolicLink:
                entries[child] = "link \((try? files.readLink(child)) ?? "?")"
            default:
                entries[child] = "\(kind.map(\.rawValue) ?? "?")"
            }
        }
    }

    /// FNV-1a 64: enough to tell contents apart in a test (not a security hash).
    static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    var description: String { entries.keys.sorted().map { "\($0): \(entries[$0]!)" }.joined(separator: "\n") }

    /// Paths whose entries differ, for failure messages.
    func differences(_ other: TreeSnapshot) -> [String] {
        Set(entries.keys).union(other.entries.keys).sorted().filter { entries[$0] != other.entries[$0] }
    }
}

extension TreeSnapshot {
    /// `other` without the entries for `paths` (one-way settings undo keeps).
    init(from other: TreeSnapshot, removing paths: Set<String>) {
        self = other
        for path in paths { entries[path] = nil }
    }
}
