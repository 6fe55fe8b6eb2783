/// Constants of the Trustee KBS attestation protocol (RCAR) that guestguard speaks.
///
/// Reference: `docs/kbs-wire-spec.md`, pinned to confidential-containers/trustee@78962cd4 and
/// kbs-types 0.16.0 (Trustee pins 0.18.0).
public enum KBSProtocol {
    /// The only protocol version Trustee accepts: semver requirement `=0.4.0`
    /// (TR `kbs/src/attestation/backend.rs:34-48, 244-257`).
    public static let version = "0.4.0"

    /// Path prefix of every KBS route (TR `kbs/src/api_server.rs:165-188`).
    public static let pathPrefix = "/kbs/v0"

    /// Name of the session cookie set by `/auth` and `/attest` (TR `kbs/src/attestation/session.rs:18`).
    public static let sessionCookieName = "kbs-session-id"

    /// Prefix of the RFC 7807 `type` member of every KBS error (TR `kbs/src/error.rs:108-136`).
    public static let errorTypePrefix = "https://github.com/confidential-containers/kbs/errors/"
}
