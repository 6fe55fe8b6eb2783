/// Decodes `Decodable` values from `JSONValue` without Foundation, strictly:
///
/// * integer types accept only `.integer` within their range (`3.0`, `1e2` and out-of-range
///   values are rejected, as serde_json does for Rust integers);
/// * `Double`/`Float` accept `.integer` and `.number` (a `Float` must stay finite);
/// * `Bool` and `String` accept only their own case; `null` is accepted only by `decodeNil` and
///   `Optional` (`decodeIfPresent` treats a missing member and `null` alike);
/// * member names match only byte for byte (UTF-8), never by Unicode canonical equivalence;
/// * unknown members are ignored, as serde does without `deny_unknown_fields`.
///
/// Failures are `DecodingError`s whose `codingPath` locates the offending value.
public struct JSONValueDecoder: Sendable {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws(DecodingError) -> T {
        do {
            return try JSONValueDecoderImpl(value: value, codingPath: []).unbox(T.self)
        } catch let error as DecodingError {
            throw error
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "\(error)", underlyingError: error))
        }
    }
}

struct JSONValueDecoderImpl: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else { throw mismatch([String: JSONValue].self, expected: "an object") }
        return KeyedDecodingContainer(JSONKeyedDecodingContainer<Key>(members: members, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else { throw mismatch([JSONValue].self, expected: "an array") }
        return JSONUnkeyedDecodingContainer(elements: elements, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func mismatch(_ type: Any.Type, expected: String) -> DecodingError {
        .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "expected \(expected), found \(value.kindDescription)"))
    }

    /// Decodes `T` from `value`, short-cutting `JSONValue` and `[UInt8]`.
    func unbox<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == JSONValue.self { return value as! T }
        if T.self == [UInt8].self { return try unboxBytes() as! T }
        return try T(from: self)
    }

    func unboxBytes() throws -> [UInt8] {
        guard case .array(let elements) = value else { throw mismatch([UInt8].self, expected: "an array of byte values") }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            let child = JSONValueDecoderImpl(value: element, codingPath: codingPath + [JSONCodingKey(intValue: index)])
            bytes.append(try child.unboxInteger(UInt8.self))
        }
        return bytes
    }

    func unboxInteger<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        if case .number(let number) = value, number.rounded(.towardZero) == number {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: codingPath,
                    debugDescription: "integer \(number) cannot be decoded exactly: it is outside Int64 or written with a fraction/exponent"))
        }
        guard case .integer(let integer) = value else { throw mismatch(T.self, expected: "an integer") }
        guard let result = T(exactly: integer) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: codingPath, debugDescription: "\(integer) is out of range for \(T.self)"))
        }
        return result
    }

    func unboxDouble() throws -> Double {
        switch value {
        case .integer(let integer): return Double(integer)
        case .number(let number): return number
        default: throw mismatch(Double.self, expected: "a number")
        }
    }
}

extension JSONValueDecoderImpl: SingleValueDecodingContainer {
    func decodeNil() -> Bool { value == .null }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let bool) = value else { throw mismatch(Bool.self, expected: "a boolean") }
        return bool
    }

    func decode(_ type: String.Type) throws -> String {
        guard case .string(let string) = value else { throw mismatch(String.self, expected: "a string") }
        return string
    }

    func decode(_ type: Double.Type) throws -> Double { try unboxDouble() }

    func decode(_ type: Float.Type) throws -> Float {
        let result = Float(try unboxDouble())
        guard result.isFinite else {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "number overflows Float"))
        }
        return result
    }

    func decode(_ type: Int.Type) throws -> Int { try unboxInteger(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try unboxInteger(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try unboxInteger(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try unboxInteger(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try unboxInteger(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try unboxInteger(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try unboxInteger(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try unboxInteger(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try unboxInteger(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try unboxInteger(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try unbox(type) }
}
