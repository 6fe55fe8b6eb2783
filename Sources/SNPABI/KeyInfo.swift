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

/// KEY_INFO bits 4:2 SIGNING_KEY: which key signed the report (`docs/snp-abi.md` §3).
public enum SigningKey: Sendable, Hashable {
    /// 0: the chip-unique Versioned Chip Endorsement Key.
    case vcek
    /// 1: a Versioned Loaded Endorsement Key (a cloud provider's, e.g. AWS).
    case vlek
    /// 7: no key; the report is unsigned.
    case none
    /// 2-6: reserved. ``AttestationReport`` rejects these.
    case reserved(UInt8)

    /// Decodes the 3-bit field value (only the low 3 bits of `value` are used).
    public init(fieldValue value: UInt8) {
        switch value & 0x7 {
        case 0: self = .vcek
        case 1: self = .vlek
        case 7: self = .none
        case let other: self = .reserved(other)
        }
    }

    /// The 3-bit field value.
    public var fieldValue: UInt8 {
        switch self {
        case .vcek: return 0
        case .vlek: return 1
        case .none: return 7
        case let .reserved(value): return value & 0x7
        }
    }
}
