import CanonicalJSON

/// Decides whether a LUKS2 header (its metadata as libcryptsetup parsed it from the guest's copy)
/// may be used: cipher allow-list, no cipher_null, KDF bounds, areas inside the header, one crypt
/// segment, and our token referring only to our keyslot. Returns every violation.
public protocol LUKS2HeaderCheck: Sendable {
    func violations(metadata: JSONValue, guestguardToken: Int?) -> [String]
}
