import CanonicalJSON
import LUKS2Policy

/// The header check guestguard applies before unlocking: `LUKS2HeaderValidator` with a policy
/// (default: AES-XTS-512 or AEAD with integrity, argon2 ≤ 1 GiB, bounded iterations).
public struct StandardLUKS2HeaderCheck: LUKS2HeaderCheck {
    public let policy: LUKS2HeaderPolicy

    public init(policy: LUKS2HeaderPolicy = .default) { self.policy = policy }

    public func violations(metadata: JSONValue, guestguardToken: Int?) -> [String] {
        LUKS2HeaderValidator.validate(metadata: metadata, ourToken: guestguardToken, policy: policy).map(\.description)
    }
}
