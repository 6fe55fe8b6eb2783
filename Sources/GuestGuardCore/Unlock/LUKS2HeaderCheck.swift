import CanonicalJSON
import LUKS2Policy

/// Decides whether a LUKS2 header (its metadata as libcryptsetup parsed it from the guest's copy)
/// may be used: cipher allow-list, no cipher_null, KDF bounds, areas inside the header, one crypt
/// segment, and our token referring only to our keyslot. Returns every violation.
public protocol LUKS2HeaderCheck: Sendable {
    func violations(metadata: JSONValue, guestguardToken: Int?) -> [String]
}

/// The header check guestguard applies before unlocking: `LUKS2HeaderValidator` with a policy
/// (default: AES-XTS-512 or AEAD with integrity, argon2 ≤ 1 GiB, bounded iterations).
public struct StandardLUKS2HeaderCheck: LUKS2HeaderCheck {
    public let policy: LUKS2HeaderPolicy

    public init(policy: LUKS2HeaderPolicy = .default) { self.policy = policy }

    public func violations(metadata: JSONValue, guestguardToken: Int?) -> [String] {
        LUKS2HeaderValidator.validate(metadata: metadata, ourToken: guestguardToken, policy: policy).map(\.description)
    }
}
