/// Encodes `Encodable` values into `JSONValue` without Foundation.
///
/// Integers become `.integer` and must fit `Int64` (a `UInt64` above `Int64.max` throws
/// `EncodingError.invalidValue`, because `JSONValue` could not carry it exactly); `Double` and
/// `Float` become `.number` and must be finite; `nil` passed to `encodeNil`/a single-value
/// `encodeNil()` becomes `.null`, while synthesized `encodeIfPresent` omits the member. A value
/// that encodes nothing becomes `{}`. `[UInt8]` encodes as an array of integers, as serde does.
public struct JSONValueEncoder: Sendable {
    public init() {}

    public func encode<T: Encodable>(_ value: T) throws(EncodingError) -> JSONValue {
        do {
            return try JSONEncodingNode.box(value, codingPath: []).materialize()
        } catch let error as EncodingError {
            throw error
        } catch {
            throw EncodingError.invalidValue(
                value, .init(codingPath: [], debugDescription: "\(error)", underlyingError: error))
        }
    }
}

/// A value under construction. Containers are references so that nested containers and
/// super-encoders handed out earlier can keep filling them.
enum JSONEncodingNode {
    case value(JSONValue)
    case object(JSONEncodingObject)
    case array(JSONEncodingArray)
    case encoder(JSONValueEncoderImpl)

    func materialize() -> JSONValue {
        switch self {
        case .value(let value): return value
        case .object(let object): return .object(object.members.mapValues { $0.materialize() })
        case .array(let array): return .array(array.elements.map { $0.materialize() })
        case .encoder(let encoder): return encoder.node?.materialize() ?? .object([:])
        }
    }

    /// Encodes `value` at `codingPath`, short-cutting `JSONValue` and `[UInt8]`.
    static func box<T: Encodable>(_ value: T, codingPath: [any CodingKey]) throws -> JSONEncodingNode {
        if let json = value as? JSONValue { return .value(json) }
        if let bytes = value as? [UInt8] { return .value(.array(bytes.map { .integer(Int64($0)) })) }
        let encoder = JSONValueEncoderImpl(codingPath: codingPath)
        try value.encode(to: encoder)
        return encoder.node ?? .object(JSONEncodingObject())
    }

    static func integer<T: BinaryInteger>(_ value: T, codingPath: [any CodingKey]) throws(EncodingError) -> JSONValue {
        guard let integer = Int64(exactly: value) else {
            throw EncodingError.invalidValue(
                value, .init(codingPath: codingPath, debugDescription: "\(value) does not fit Int64; JSONValue cannot hold it exactly"))
        }
        return .integer(integer)
    }

    static func double(_ value: Double, codingPath: [any CodingKey]) throws(EncodingError) -> JSONValue {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value, .init(codingPath: codingPath, debugDescription: "\(value) is not a finite number; JSON cannot represent it"))
        }
        return .number(value)
    }
}

final class JSONEncodingObject {
    var members: [String: JSONEncodingNode] = [:]
}

final class JSONEncodingArray {
    var elements: [JSONEncodingNode] = []
}

final class JSONValueEncoderImpl: Encoder {
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    var node: JSONEncodingNode?

    init(codingPath: [any CodingKey]) {
        self.codingPath = codingPath
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let object: JSONEncodingObject
        if case .object(let existing)? = node {
            object = existing
        } else {
            object = JSONEncodingObject()
            node = .object(object)
        }
        return KeyedEncodingContainer(JSONKeyedEncodingContainer<Key>(object: object, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let array: JSONEncodingArray
        if case .array(let existing)? = node {
            array = existing
        } else {
            array = JSONEncodingArray()
            node = .array(array)
        }
        return JSONUnkeyedEncodingContainer(array: array, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONSingleValueEncodingContainer(encoder: self)
    }
}
