/// KBS error body, RFC 7807 style (kbs-types `ErrorInformation`, KT `:342-347`):
/// `{"type":"https://github.com/confidential-containers/kbs/errors/<Variant>","detail":"…"}`.
///
/// Trustee sends it with status 401 (404 only for an unknown plugin) and without a
/// Content-Type header (spec §4.3, §4.5).
public struct ProblemDetails: KBSMessage, Hashable {
    public var type: String
    public var detail: String

    public init(type: String, detail: String) {
        self.type = type
        self.detail = detail
    }

    /// A KBS error of the given variant, e.g. `AttestationError`.
    public init(kbsError variant: String, detail: String) {
        self.init(type: KBSProtocol.errorTypePrefix + variant, detail: detail)
    }

    /// The variant name after `KBSProtocol.errorTypePrefix` (`AttestationError`,
    /// `TokenNotFound`, `PolicyDeny`, …), or nil for a foreign `type`.
    public var kbsErrorName: String? {
        guard type.utf8.starts(with: KBSProtocol.errorTypePrefix.utf8) else { return nil }
        return String(decoding: type.utf8.dropFirst(KBSProtocol.errorTypePrefix.utf8.count), as: UTF8.self)
    }
}
