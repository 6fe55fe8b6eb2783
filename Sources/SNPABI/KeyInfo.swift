/// KEY_INFO (u32 at report offset 0x048; go-sev-guest "signer info").
public struct KeyInfo: Sendable, Hashable {
    /// The raw 32-bit value.
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Bits 31:5, reserved and must be zero.
    public static let reservedMask: UInt32 = ~0 << 5

    /// Bit 0 AUTHOR_KEY_EN: AUTHOR_KEY_DIGEST holds the digest of the ID block's author key.
    public var authorKeyEnabled: Bool { rawValue & 1 != 0 }
    /// Bit 1 MASK_CHIP_KEY: CHIP_ID is zeroed (the guest asked for it at launch).
    public var maskChipKey: Bool { rawValue & 2 != 0 }
    /// Bits 4:2 SIGNING_KEY.
    public var signingKey: SigningKey { SigningKey(fieldValue: UInt8(truncatingIfNeeded: rawValue >> 2)) }
    /// Reserved bits that are set.
    public var reservedBits: UInt32 { rawValue & Self.reservedMask }
}
