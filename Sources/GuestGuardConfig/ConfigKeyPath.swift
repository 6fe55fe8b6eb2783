/// Where a value sits in a document: its keys from the root and, inside arrays, its indices.
///
/// Rendered the way a user would write it: `report.minimum-tcb.snp`, `brokers[1].url`,
/// `pins."a key with spaces"`.
public struct ConfigKeyPath: Sendable, Hashable, CustomStringConvertible {
    /// One step: a table key or a 0-based array index.
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    public let components: [Component]

    public init(_ components: [Component] = []) {
        self.components = components
    }

    /// The root table's path: no components.
    public static let root = ConfigKeyPath()

    public var isRoot: Bool { components.isEmpty }

    /// The number of components; the nesting depth that ``ConfigLimits`` bounds.
    public var depth: Int { components.count }

    public func appending(_ key: String) -> ConfigKeyPath {
        ConfigKeyPath(components + [.key(key)])
    }

    public func appending(index: Int) -> ConfigKeyPath {
        ConfigKeyPath(components + [.index(index)])
    }

    /// Keys joined with `.`, indices as `[n]`; keys that are not bare TOML keys are quoted.
    public var description: String {
        var text = ""
        for component in components {
            switch component {
            case .key(let key):
                if !text.isEmpty { text += "." }
                text += TOMLRenderer.key(key)
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text
    }
}
