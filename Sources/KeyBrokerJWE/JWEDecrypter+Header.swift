import CanonicalJSON
import GuestGuardCrypto
import KeyBrokerProtocol

extension JWEDecrypter {
    /// Checks `alg`, `enc` and the header members against the recipient; for ECDH-ES returns the
    /// validated `epk` (spec §3.2: `{"alg","enc","epk":{"crv","kty","x","y"}}` or `{"alg","enc"}`),
    /// each optionally with guestguard's `kid` (``checkKeyID(_:)``).
    func checkHeader(_ header: ProtectedHeader) throws(JWEError) -> P256PublicPoint? {
        guard let algorithm = JWEAlgorithm(headerValue: header.alg) else { throw .unsupportedAlgorithm(.alg, header.alg) }
        guard algorithm == recipient.algorithm else {
            throw .algorithmKeyMismatch(alg: header.alg, expected: recipient.algorithm.headerValue)
        }
        guard JWEAlgorithm.isContentEncryption(header.enc) else { throw .unsupportedAlgorithm(.enc, header.enc) }
        switch algorithm {
        case .rsaOAEP256:
            try Self.requireOnly([ProtectedHeader.keyIDMember], in: header.otherFields, field: .protected)
            try Self.checkKeyID(header)
            return nil
        case .ecdhESA256KW:
            try Self.requireOnly(["epk", ProtectedHeader.keyIDMember], in: header.otherFields, field: .protected)
            try Self.checkKeyID(header)
            guard let epk = Self.member("epk", of: header.otherFields) else { throw .missingMember(.epk) }
            return try Self.ephemeralPublicKey(epk)
        }
    }

    /// `kid`, when present: 1–128 characters of `A-Z a-z 0-9 : . _ -` (the broker's `key-id`,
    /// `hmac-sha256:<16 hex>`), since the guest writes it into its PCR 15 document.
    static func checkKeyID(_ header: ProtectedHeader) throws(JWEError) {
        guard let value = member(ProtectedHeader.keyIDMember, of: header.otherFields) else { return }
        guard case .string(let text) = value else { throw .invalidMember(.kid, reason: "not a string") }
        let allowed = text.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x3A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2E || c == 0x5F || c == 0x2D
        }
        guard (1...128).contains(text.utf8.count), allowed else {
            throw .invalidMember(.kid, reason: "must be 1-128 characters of A-Z a-z 0-9 : . _ -")
        }
    }

    /// `epk`: a JWK with exactly `kty` `EC`, `crv` `P-256`, and `x`/`y` of 32 bytes, on the curve.
    static func ephemeralPublicKey(_ value: JSONValue) throws(JWEError) -> P256PublicPoint {
        guard case .object(let members) = value else { throw .invalidMember(.epk, reason: "not a JSON object") }
        try requireOnly(["kty", "crv", "x", "y"], in: members, field: .epk)
        try requireString("kty", equal: "EC", in: members, field: .epkKty)
        try requireString("crv", equal: "P-256", in: members, field: .epkCrv)
        let x = try coordinate("x", in: members, field: .epkX)
        let y = try coordinate("y", in: members, field: .epkY)
        do {
            return try P256PublicPoint(x: x, y: y)
        } catch {
            throw .invalidEphemeralKey(error)
        }
    }

    /// Rejects any member whose name is not, byte for byte, one of `allowed`.
    static func requireOnly(_ allowed: [String], in members: [String: JSONValue], field: JWEError.Field) throws(JWEError) {
        for name in members.keys.sorted() where !allowed.contains(where: { $0.utf8.elementsEqual(name.utf8) }) {
            throw .unexpectedMember(field, name: name)
        }
    }

    /// The member named exactly `name` (byte comparison, not Unicode equivalence).
    static func member(_ name: String, of members: [String: JSONValue]) -> JSONValue? {
        members.first { $0.key.utf8.elementsEqual(name.utf8) }?.value
    }

    private static func string(_ name: String, in members: [String: JSONValue], field: JWEError.Field) throws(JWEError) -> String {
        guard let value = member(name, of: members) else { throw .missingMember(field) }
        guard case .string(let text) = value else { throw .invalidMember(field, reason: "not a string") }
        return text
    }

    private static func requireString(
        _ name: String, equal expected: String, in members: [String: JSONValue], field: JWEError.Field
    ) throws(JWEError) {
        let text = try string(name, in: members, field: field)
        guard text.utf8.elementsEqual(expected.utf8) else { throw .invalidMember(field, reason: "\"\(text)\" is not \"\(expected)\"") }
    }

    private static func coordinate(_ name: String, in members: [String: JSONValue], field: JWEError.Field) throws(JWEError) -> [UInt8] {
        let text = try string(name, in: members, field: field)
        let bytes: [UInt8]
        do { bytes = try Base64URL.decode(text) } catch { throw .invalidMember(field, reason: "not base64url: \(error)") }
        guard bytes.count == PublicKey.p256CoordinateByteCount else {
            throw .invalidLength(field, expected: PublicKey.p256CoordinateByteCount, actual: bytes.count)
        }
        return bytes
    }
}
