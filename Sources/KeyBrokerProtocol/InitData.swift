/// `Attestation.init-data` (kbs-types `InitData`): `{"format":"toml","body":"<TOML text>"}`.
///
/// Trustee's attestation services accept only `format == "toml"` and bind
/// `digest(body bytes)` — the algorithm is the one named inside the TOML — to HOST_DATA
/// (TR `attestation-service/src/lib.rs:78-84, 342-352`).
public struct InitData: Codable, Hashable, Sendable {
    public var format: String
    public var body: String

    public init(format: String = "toml", body: String) {
        self.format = format
        self.body = body
    }

    /// HOST_DATA for this init-data: `hash` over the UTF-8 body, truncated or zero-padded to
    /// 32 bytes (`regularize_data(digest, 32, …)`, TR `deps/verifier/src/snp/mod.rs:527-534`).
    /// `hash` must be the algorithm the TOML's `algorithm` names.
    public func hostData(hash: (_ bytes: [UInt8]) -> [UInt8]) -> [UInt8] {
        Self.hostData(fromDigest: hash(Array(body.utf8)))
    }

    /// A digest truncated or zero-padded to the 32 bytes of HOST_DATA.
    public static func hostData(fromDigest digest: [UInt8]) -> [UInt8] {
        Array((digest + [UInt8](repeating: 0, count: 32)).prefix(32))
    }
}
