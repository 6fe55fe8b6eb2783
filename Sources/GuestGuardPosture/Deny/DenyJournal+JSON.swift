import GuestGuardCore
import CanonicalJSON
import GuestGuardPlatform

extension DenyJournal {
    /// `{"schema", "entries": [{"time", "items", "kind", …}]}`; file contents are base64 (`null`
    /// for an absent file), modes are integers.
    public var json: JSONValue {
        .object(["schema": .string(Self.schema), "entries": .array(entries.map(Self.encode))])
    }

    static func encode(_ entry: Entry) -> JSONValue {
        var object: [String: JSONValue] = [
            "time": .string(RFC3339.format(entry.time)),
            "items": .array(entry.step.itemIDs.map { .string($0) }),
        ]
        switch entry.step.change {
        case .file(let path, let before, let beforeMode, let after, let mode, let created):
            object["kind"] = "file"
            object["path"] = .string(path)
            object["before"] = before.map { .string(Base64.encode($0)) } ?? .null
            object["beforeMode"] = .optional(beforeMode)
            object["after"] = after.map { .string(Base64.encode($0)) } ?? .null
            object["mode"] = .integer(Int64(mode))
            object["createdDirectories"] = .array(created.map { .string($0) })
        case .unit(let name, let before, let wasActive):
            object["kind"] = "unit"
            object["unit"] = .string(name)
            object["before"] = .string(before.rawValue)
            object["wasActive"] = .bool(wasActive)
        case .sysctl(let key, let before, let after):
            object["kind"] = "sysctl"
            object["key"] = .string(key)
            object["before"] = .string(before)
            object["after"] = .string(after)
        case .attribute(let path, let before, let after):
            object["kind"] = "attribute"
            object["path"] = .string(path)
            object["before"] = .string(before)
            object["after"] = .string(after)
        }
        return .object(object)
    }

    init(json: JSONValue) throws(DenyError) {
        guard json["schema"]?.stringValue == Self.schema, let list = json["entries"]?.arrayValue else {
            throw .journal(path: "", reason: "not a \(Self.schema) document")
        }
        var entries: [Entry] = []
        for (index, value) in list.enumerated() {
            func fail(_ what: String) -> DenyError { .journal(path: "", reason: "entry \(index): \(what)") }
            func string(_ key: String) throws(DenyError) -> String {
                guard let text = value[key]?.stringValue else { throw fail("missing string \(key)") }
                return text
            }
            func bytes(_ key: String) throws(DenyError) -> [UInt8]? {
                guard let member = value[key], member != .null else { return nil }
                guard let text = member.stringValue, let decoded = try? Base64.decode(text) else { throw fail("\(key) is not base64") }
                return decoded
            }
            func mode(_ key: String) -> UInt32? { value[key]?.int64Value.flatMap { UInt32(exactly: $0) } }
            guard let time = RFC3339.parse(try string("time")) else { throw fail("bad time") }
            let items = (value["items"]?.arrayValue ?? []).compactMap(\.stringValue)
            let change: DenyChange
            switch try string("kind") {
            case "file":
                guard let fileMode = mode("mode") else { throw fail("missing mode") }
                change = .file(path: try string("path"), before: try bytes("before"), beforeMode: mode("beforeMode"), after: try bytes("after"),
                               mode: fileMode, createdDirectories: (value["createdDirectories"]?.arrayValue ?? []).compactMap(\.stringValue))
            case "unit":
                guard let state = UnitFileState(rawValue: try string("before")), let active = value["wasActive"]?.boolValue else { throw fail("bad unit state") }
                change = .unit(name: try string("unit"), before: state, wasActive: active)
            case "sysctl":
                change = .sysctl(key: try string("key"), before: try string("before"), after: try string("after"))
            case "attribute":
                change = .attribute(path: try string("path"), before: try string("before"), after: try string("after"))
            case let other:
                throw fail("unknown kind \(other)")
            }
            entries.append(Entry(time: time, step: DenyStep(itemIDs: items, change: change)))
        }
        self.entries = entries
    }
}
