import CanonicalJSON

/// `POST /kbs/v0/auth` body (kbs-types `Request`, KT `src/lib.rs:73-79`):
/// `{"version":"0.4.0","tee":"snp","extra-params":{…}}`.
///
/// Decoding accepts any version string and any known TEE, as kbs-types does; `validate` applies
/// the checks Trustee's `/auth` handler makes (TR `kbs/src/attestation/backend.rs:244-257`).
public struct Request: KBSMessage, Hashable {
    public var version: String
    public var tee: Tee
    /// Any JSON value; Trustee ignores it for SNP.
    public var extraParams: JSONValue

    /// What guest-components sends: every hash algorithm it can use for the runtime-data
    /// digest (GC `rcar_client.rs:57-63`, kbs-types 0.16.0 `HashAlgorithm::list_all()`).
    public static let guestComponentsExtraParams: JSONValue = [
        "supported-hash-algorithms": .array(HashAlgorithm.allCases.map { .string($0.rawValue) })
    ]

    public init(version: String = KBSProtocol.version, tee: Tee = .snp, extraParams: JSONValue = Self.guestComponentsExtraParams) {
        self.version = version
        self.tee = tee
        self.extraParams = extraParams
    }

    enum CodingKeys: String, CodingKey {
        case version, tee
        case extraParams = "extra-params"
    }

    /// Requires `version == KBSProtocol.version` (Trustee: semver `=0.4.0`; guestguard compares
    /// the exact string) and `tee == expectedTEE`.
    public func validate(expectedTEE: Tee = .snp) throws(KeyBrokerProtocolError) {
        guard version.utf8.elementsEqual(KBSProtocol.version.utf8) else {
            throw KeyBrokerProtocolError(
                .unsupportedVersion, field: CodingKeys.version.rawValue,
                reason: "KBS protocol version \"\(version)\" is not \(KBSProtocol.version)")
        }
        guard tee == expectedTEE else {
            throw KeyBrokerProtocolError(
                .unsupportedTEE, field: CodingKeys.tee.rawValue, reason: "TEE \"\(tee.rawValue)\" is not \"\(expectedTEE.rawValue)\"")
        }
    }
}
