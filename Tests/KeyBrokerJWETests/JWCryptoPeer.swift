import CanonicalJSON
import Foundation
import GuestGuardTestSupport

/// Python `jwcrypto` (latchset) as the independent JOSE implementation for interop tests.
/// `make deps` installs it (pip install jwcrypto); if it is missing the tests fail, not skip.
/// Each script reads one JSON object on stdin and prints one JSON object.
enum JWCryptoPeer {
    struct Failure: Error, CustomStringConvertible {
        let status: Int32
        let stderr: String
        var description: String { "python3 (jwcrypto) exited with \(status): \(stderr)" }
    }

    static func run(_ script: String, input: JSONValue) throws -> JSONValue {
        let output: String
        do {
            output = try PythonPeer.run("import json, sys\nrequest = json.load(sys.stdin)\n" + script, input: try input.serializedBytes())
        } catch let failure as PythonPeer.Failure {
            throw Failure(status: failure.status, stderr: failure.stderr)
        }
        return try JSONParser.parse(output)
    }

    /// jwcrypto encrypts `plaintext` to the public JWK `recipient` with `alg` + A256GCM and returns
    /// the KBS flattened form of its compact serialization (compact puts `epk` in the protected
    /// header, where Trustee has it).
    static func encrypt(_ plaintext: [UInt8], to recipient: JSONValue, alg: String) throws -> [UInt8] {
        let response = try run(
            """
            from jwcrypto import jwe, jwk
            token = jwe.JWE(bytes.fromhex(request["plaintext"]),
                            protected=json.dumps({"alg": request["alg"], "enc": "A256GCM"}))
            token.add_recipient(jwk.JWK(**request["key"]))
            parts = token.serialize(compact=True).split(".")
            print(json.dumps(dict(zip(["protected", "encrypted_key", "iv", "ciphertext", "tag"], parts))))
            """, input: ["plaintext": .string(plaintext.hexString), "key": recipient, "alg": .string(alg)])
        return try response.serializedBytes()
    }

    /// jwcrypto generates a key (`{"kty":"EC","crv":"P-256"}` or `{"kty":"RSA","size":2048}`) and
    /// returns its public and private JWKs.
    static func generateKey(_ parameters: JSONValue) throws -> (public: JSONValue, private: JSONValue) {
        let keys = try run(
            """
            from jwcrypto import jwk
            key = jwk.JWK.generate(**request)
            print(json.dumps({"public": key.export_public(as_dict=True), "private": key.export_private(as_dict=True)}))
            """, input: parameters)
        return (try require(keys["public"], "public"), try require(keys["private"], "private"))
    }

    /// jwcrypto decrypts a flattened JWE JSON body with the private JWK; returns the plaintext.
    static func decrypt(_ body: [UInt8], privateKey: JSONValue) throws -> [UInt8] {
        let result = try run(
            """
            from jwcrypto import jwe, jwk
            token = jwe.JWE()
            token.deserialize(request["jwe"], key=jwk.JWK(**request["key"]))
            print(json.dumps({"plaintext": token.payload.hex(), "header": token.jose_header}))
            """, input: ["jwe": .string(String(decoding: body, as: UTF8.self)), "key": privateKey])
        return hexBytes(try require(result["plaintext"]?.stringValue, "plaintext"))
    }

    /// jwcrypto decrypts a flattened JWE JSON body; returns the plaintext, the protected header as
    /// jwcrypto parsed it, and that header re-serialized the way guest-components builds its AAD
    /// (serde: `alg`, `enc`, then the other members sorted, compact; spec §3.3), base64url.
    static func decryptWithHeader(_ body: [UInt8], privateKey: JSONValue) throws -> (plaintext: [UInt8], header: JSONValue, reserializedProtected: String) {
        let result = try run(
            """
            import base64
            from jwcrypto import jwe, jwk
            token = jwe.JWE()
            token.deserialize(request["jwe"], key=jwk.JWK(**request["key"]))
            header = json.loads(base64.urlsafe_b64decode(json.loads(request["jwe"])["protected"] + "=="))
            ordered = {"alg": header["alg"], "enc": header["enc"]}
            ordered.update(sorted((k, v) for k, v in header.items() if k not in ("alg", "enc")))
            again = base64.urlsafe_b64encode(json.dumps(ordered, separators=(",", ":")).encode()).rstrip(b"=").decode()
            print(json.dumps({"plaintext": token.payload.hex(), "header": token.jose_header, "reserialized": again}))
            """, input: ["jwe": .string(String(decoding: body, as: UTF8.self)), "key": privateKey])
        return (hexBytes(try require(result["plaintext"]?.stringValue, "plaintext")), try require(result["header"], "header"),
                try require(result["reserialized"]?.stringValue, "reserialized"))
    }
}
