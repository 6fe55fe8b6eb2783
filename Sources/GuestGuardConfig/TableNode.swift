/// The reader's mutable table, frozen into a ``TOMLTable`` once the document is complete.
///
/// TOML's rules about which tables may be reopened depend on how a table was created, which is what
/// ``Origin`` records.
final class TableNode {
    /// How the table came to exist.
    enum Origin {
        /// The document.
        case root
        /// Defined by its own `[header]`; can never be defined again.
        case header
        /// Created as the parent of a header (`a` for `[a.b]`); one later `[a]` may define it.
        case implicit
        /// Created by a dotted key (`a.b = 1` creates `a`); only further dotted keys in the same table
        /// and sub-table headers may add to it.
        case dotted
        /// One element of an array of tables.
        case arrayElement
    }

    /// What a key of the table holds while parsing.
    enum Slot {
        /// A finished value: scalar, static array or inline table. Closed to headers and dotted keys.
        case value(ConfigValue)
        case table(TableNode)
        case tableArray(TableArrayNode)
    }

    struct Member {
        let key: String
        let keyLocation: SourceLocation
        var slot: Slot
    }

    var origin: Origin
    let keyPath: ConfigKeyPath
    var location: SourceLocation
    private(set) var members: [Member] = []
    private var indexByKey: [String: Int] = [:]

    init(origin: Origin, keyPath: ConfigKeyPath, location: SourceLocation) {
        self.origin = origin
        self.keyPath = keyPath
        self.location = location
    }

    func member(_ key: String) -> Member? {
        indexByKey[key].map { members[$0] }
    }

    /// Adds a key that is not yet present.
    func add(_ key: String, keyLocation: SourceLocation, slot: Slot) {
        precondition(indexByKey[key] == nil, "key \(key) added twice")
        indexByKey[key] = members.count
        members.append(Member(key: key, keyLocation: keyLocation, slot: slot))
    }

    func freeze() -> TOMLTable {
        let entries = members.map { member in
            TOMLTable.Entry(key: member.key, keyLocation: member.keyLocation, value: member.slot.frozen())
        }
        return TOMLTable(keyPath: keyPath, location: location, entries: entries)
    }
}

extension TableNode.Slot {
    /// The line where the slot's value was first defined, for messages.
    var line: Int {
        switch self {
        case .value(let value): return value.location.line
        case .table(let table): return table.location.line
        case .tableArray(let array): return array.location.line
        }
    }

    /// The slot's type as messages name it.
    var typeName: String {
        switch self {
        case .value(let value):
            if case .table = value.kind { return "inline table" }
            return value.typeName
        case .table: return "table"
        case .tableArray: return "array of tables"
        }
    }

    func frozen() -> ConfigValue {
        switch self {
        case .value(let value):
            return value
        case .table(let table):
            return ConfigValue(kind: .table(table.freeze()), location: table.location, keyPath: table.keyPath)
        case .tableArray(let array):
            let elements = array.elements.map { element in
                ConfigValue(kind: .table(element.freeze()), location: element.location, keyPath: element.keyPath)
            }
            return ConfigValue(kind: .array(elements), location: array.location, keyPath: array.keyPath)
        }
    }
}

/// An array of tables (`[[name]]`) while parsing.
final class TableArrayNode {
    let keyPath: ConfigKeyPath
    let location: SourceLocation
    var elements: [TableNode] = []

    init(keyPath: ConfigKeyPath, location: SourceLocation) {
        self.keyPath = keyPath
        self.location = location
    }
}
