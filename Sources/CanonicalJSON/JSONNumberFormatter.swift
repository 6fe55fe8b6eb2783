/// ECMAScript `Number.prototype.toString()` for finite doubles (ECMA-262 §6.1.6.1.20), which
/// RFC 8785 §3.2.2.3 mandates for JSON numbers.
///
/// Swift's `description` already yields the shortest digits that round-trip; this re-lays them
/// out with ECMAScript's rules for where the decimal point and exponent go.
public enum JSONNumberFormatter {
    public static func ecmaScriptString(_ value: Double) -> String {
        precondition(value.isFinite, "non-finite numbers are rejected before formatting")
        if value == 0 { return "0" }  // also -0
        let negative = value < 0
        let (digits, exponent) = shortestDigits(abs(value))  // value = 0.d1d2… × 10^exponent
        let k = digits.count
        let n = exponent
        var text: String
        if k <= n && n <= 21 {
            text = digits + String(repeating: "0", count: n - k)
        } else if 0 < n && n <= 21 {
            let index = digits.index(digits.startIndex, offsetBy: n)
            text = digits[..<index] + "." + digits[index...]
        } else if -6 < n && n <= 0 {
            text = "0." + String(repeating: "0", count: -n) + digits
        } else {
            let e = n - 1
            let sign = e < 0 ? "-" : "+"
            let mantissa = k == 1 ? digits : String(digits.first!) + "." + digits.dropFirst()
            text = mantissa + "e" + sign + String(abs(e))
        }
        return negative ? "-" + text : text
    }

    /// The shortest round-trip decimal digits of a positive finite double and the position n of
    /// the decimal point (value = 0.digits × 10^n), derived from Swift's shortest representation.
    static func shortestDigits(_ value: Double) -> (String, Int) {
        let description = value.description  // e.g. "1.5", "1e-07", "1.2345e+20", "100.0"
        var mantissa = description
        var exponent = 0
        if let eIndex = description.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = String(description[..<eIndex])
            exponent = Int(description[description.index(after: eIndex)...])!
        }
        var integerPart = mantissa
        var fractionPart = ""
        if let dot = mantissa.firstIndex(of: ".") {
            integerPart = String(mantissa[..<dot])
            fractionPart = String(mantissa[mantissa.index(after: dot)...])
        }
        var digits = integerPart + fractionPart
        var pointPosition = integerPart.count + exponent
        // Strip leading zeros (moving the point) and trailing zeros.
        while digits.hasPrefix("0") && digits.count > 1 {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        return (digits, pointPosition)
    }
}
