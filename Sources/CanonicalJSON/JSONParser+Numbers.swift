/// Numbers (RFC 8259 §6): `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
extension JSONParser {
    mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = index
        var isInteger = true
        var integerPart: Int64 = 0
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        let first = try peek(expecting: .digit)
        switch first {
        case UInt8(ascii: "0"):
            index += 1
            if index < bytes.count, Self.isDigit(bytes[index]) { throw error(.leadingZero, at: index - 1) }
        case UInt8(ascii: "1")...UInt8(ascii: "9"):
            // The integer part's value as the digits go by (it wraps past 18 digits, and is then unused).
            while index < bytes.count, Self.isDigit(bytes[index]) {
                integerPart = integerPart &* 10 &+ Int64(bytes[index] &- UInt8(ascii: "0"))
                index += 1
            }
        default:
            throw error(.unexpectedByte(first, expected: .digit))
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            try requireDigits()
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            try requireDigits()
        }
        // Up to 18 digits always fit Int64: the value accumulated above, without making a String
        // or an ArraySlice (byte arrays in SNP evidence are thousands of small integers).
        let negative = bytes[start] == UInt8(ascii: "-")
        if isInteger, index - start - (negative ? 1 : 0) <= 18 {
            return .integer(negative ? -integerPart : integerPart)
        }
        let literal = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger, let integer = Int64(literal) { return .integer(integer) }
        // The grammar above is a subset of what Double(String) accepts; nil is handled anyway.
        guard let value = Double(literal), value.isFinite else {
            throw error(.numberOutOfRange(literal: String(literal.prefix(40))), at: start)
        }
        return .number(value)
    }

    /// A non-negative integer of at most 18 digits that ends where an array element ends (`,`,
    /// `]` or whitespace), read without the general value and number path: byte arrays in SNP
    /// evidence are thousands of them. Anything else (a sign, a fraction or exponent, a leading
    /// zero, more digits, the end of the text) returns nil with `index` unchanged, and the general
    /// path parses or refuses it exactly as before.
    mutating func scanSmallArrayInteger() -> Int64? {
        var position = index
        guard position < bytes.count, Self.isDigit(bytes[position]) else { return nil }
        var value: Int64 = 0
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            while position < bytes.count, position - index < 18, Self.isDigit(bytes[position]) {
                value = value * 10 + Int64(bytes[position] &- UInt8(ascii: "0"))
                position += 1
            }
        }
        guard position < bytes.count else { return nil }
        switch bytes[position] {
        case UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
            index = position
            return value
        default:
            return nil
        }
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    mutating func skipDigits() {
        while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
    }

    mutating func requireDigits() throws(JSONParseError) {
        let byte = try peek(expecting: .digit)
        guard Self.isDigit(byte) else { throw error(.unexpectedByte(byte, expected: .digit)) }
        skipDigits()
    }
}
