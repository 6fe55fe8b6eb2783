/// The keyed, unkeyed and single-value containers behind `JSONValueEncoder`.
struct JSONKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let object: JSONEncodingObject
    let codingPath: [any CodingKey]

    private func set(_ value: JSONValue, _ key: Key) { object.members[key.stringValue] = .value(value) }
    private func path(_ key: Key) -> [any CodingKey] { codingPath + [key] }

    mutating func encodeNil(forKey key: Key) throws { set(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { set(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { set(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        set(try JSONEncodingNode.double(value, codingPath: path(key)), key)
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        set(try JSONEncodingNode.double(Double(value), codingPath: path(key)), key)
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { try encodeInteger(value, key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try encodeInteger(value, key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try encodeInteger(value, key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try encodeInteger(value, key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try encodeInteger(value, key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try encodeInteger(value, key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try encodeInteger(value, key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try encodeInteger(value, key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try encodeInteger(value, key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try encodeInteger(value, key) }

    private func encodeInteger<T: BinaryInteger>(_ value: T, _ key: Key) throws {
        set(try JSONEncodingNode.integer(value, codingPath: path(key)), key)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        object.members[key.stringValue] = try JSONEncodingNode.box(value, codingPath: path(key))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let child = JSONEncodingObject()
        object.members[key.stringValue] = .object(child)
        return KeyedEncodingContainer(JSONKeyedEncodingContainer<NestedKey>(object: child, codingPath: path(key)))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = JSONEncodingArray()
        object.members[key.stringValue] = .array(child)
        return JSONUnkeyedEncodingContainer(array: child, codingPath: path(key))
    }

    mutating func superEncoder() -> any Encoder { superEncoder(named: JSONCodingKey.super) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key) }

    private func superEncoder(named key: any CodingKey) -> any Encoder {
        let encoder = JSONValueEncoderImpl(codingPath: codingPath + [key])
        object.members[key.stringValue] = .encoder(encoder)
        return encoder
    }
}

/// The scalar `encode` overloads that `UnkeyedEncodingContainer` and
/// `SingleValueEncodingContainer` share: each stores one value at `scalarPath`.
protocol JSONScalarEncodingContainer {
    /// Where the next scalar goes (for error paths).
    var scalarPath: [any CodingKey] { get }
    func store(_ node: JSONEncodingNode)
}

extension JSONScalarEncodingContainer {
    private func store(_ value: JSONValue) { store(.value(value)) }
    private func storeInteger<T: BinaryInteger>(_ value: T) throws {
        store(try JSONEncodingNode.integer(value, codingPath: scalarPath))
    }

    mutating func encodeNil() throws { store(.null) }
    mutating func encode(_ value: Bool) throws { store(.bool(value)) }
    mutating func encode(_ value: String) throws { store(.string(value)) }
    mutating func encode(_ value: Double) throws { store(try JSONEncodingNode.double(value, codingPath: scalarPath)) }
    mutating func encode(_ value: Float) throws { store(try JSONEncodingNode.double(Double(value), codingPath: scalarPath)) }
    mutating func encode(_ value: Int) throws { try storeInteger(value) }
    mutating func encode(_ value: Int8) throws { try storeInteger(value) }
    mutating func encode(_ value: Int16) throws { try storeInteger(value) }
    mutating func encode(_ value: Int32) throws { try storeInteger(value) }
    mutating func encode(_ value: Int64) throws { try storeInteger(value) }
    mutating func encode(_ value: UInt) throws { try storeInteger(value) }
    mutating func encode(_ value: UInt8) throws { try storeInteger(value) }
    mutating func encode(_ value: UInt16) throws { try storeInteger(value) }
    mutating func encode(_ value: UInt32) throws { try storeInteger(value) }
    mutating func encode(_ value: UInt64) throws { try storeInteger(value) }
    mutating func encode<T: Encodable>(_ value: T) throws { store(try JSONEncodingNode.box(value, codingPath: scalarPath)) }
}

struct JSONUnkeyedEncodingContainer: UnkeyedEncodingContainer, JSONScalarEncodingContainer {
    let array: JSONEncodingArray
    let codingPath: [any CodingKey]
    var count: Int { array.elements.count }

    var scalarPath: [any CodingKey] { codingPath + [JSONCodingKey(intValue: count)] }
    func store(_ node: JSONEncodingNode) { array.elements.append(node) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let child = JSONEncodingObject()
        let path = scalarPath
        store(.object(child))
        return KeyedEncodingContainer(JSONKeyedEncodingContainer<NestedKey>(object: child, codingPath: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = JSONEncodingArray()
        let path = scalarPath
        store(.array(child))
        return JSONUnkeyedEncodingContainer(array: child, codingPath: path)
    }

    mutating func superEncoder() -> any Encoder {
        let encoder = JSONValueEncoderImpl(codingPath: scalarPath)
        store(.encoder(encoder))
        return encoder
    }
}

struct JSONSingleValueEncodingContainer: SingleValueEncodingContainer, JSONScalarEncodingContainer {
    let encoder: JSONValueEncoderImpl
    var codingPath: [any CodingKey] { encoder.codingPath }
    var scalarPath: [any CodingKey] { encoder.codingPath }
    func store(_ node: JSONEncodingNode) { encoder.node = node }
}
