/// A KBS resource path `<repository>/<type>/<tag>` (e.g. `default/disk/root`).
///
/// Each component is 1–64 characters of `[A-Za-z0-9._-]`, not `.` or `..`: the identifier becomes a
/// directory path in the key store, so anything else (slashes, NULs, traversal) is refused.
public struct ResourceID: Sendable, Hashable, CustomStringConvertible {
    public let repository: String
    public let type: String
    public let tag: String

    public init?(repository: String, type: String, tag: String) {
        guard Self.isValidComponent(repository), Self.isValidComponent(type), Self.isValidComponent(tag) else { return nil }
        self.repository = repository
        self.type = type
        self.tag = tag
    }

    /// Parses `repo/type/tag`.
    public init?(_ path: some StringProtocol) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        self.init(repository: String(parts[0]), type: String(parts[1]), tag: String(parts[2]))
    }

    public var description: String { "\(repository)/\(type)/\(tag)" }

    static func isValidComponent(_ text: String) -> Bool {
        guard (1...64).contains(text.utf8.count), text != ".", text != ".." else { return false }
        return text.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2E || c == 0x5F || c == 0x2D
        }
    }
}
