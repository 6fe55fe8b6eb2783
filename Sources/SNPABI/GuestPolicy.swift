/// The guest POLICY (u64 at report offset 0x008) fixed at launch (`docs/snp-abi.md` §3.1,
/// AMD #56860 Table "Guest Policy Structure", Linux `SNP_POLICY_MASK_*`).
public struct GuestPolicy: Sendable, Hashable {
    /// The raw 64-bit value.
    public let rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// Bit 17: reserved, must be one.
    public static let mustBeOneMask: UInt64 = 1 << 17
    /// Bits 63:26: reserved, must be zero.
    public static let reservedMask: UInt64 = ~0 << 26

    private func bit(_ n: UInt64) -> Bool { rawValue & (1 << n) != 0 }

    /// Bits 7:0 ABI_MINOR: minimum firmware ABI minor version.
    public var abiMinor: UInt8 { UInt8(truncatingIfNeeded: rawValue) }
    /// Bits 15:8 ABI_MAJOR: minimum firmware ABI major version.
    public var abiMajor: UInt8 { UInt8(truncatingIfNeeded: rawValue >> 8) }
    /// Bit 16 SMT: the host may run with SMT enabled.
    public var smtAllowed: Bool { bit(16) }
    /// Bit 17: reserved, must be one (true on every valid report).
    public var reservedMustBeOne: Bool { bit(17) }
    /// Bit 18 MIGRATE_MA: association with a migration agent is allowed.
    public var migrateMA: Bool { bit(18) }
    /// Bit 19 DEBUG: the host may debug (decrypt) the guest. A broker should normally reject it.
    public var debug: Bool { bit(19) }
    /// Bit 20 SINGLE_SOCKET: the guest may only run on one socket.
    public var singleSocket: Bool { bit(20) }
    /// Bit 21 CXL_ALLOW: CXL memory may back the guest.
    public var cxlAllowed: Bool { bit(21) }
    /// Bit 22 MEM_AES_256_XTS: AES-256-XTS memory encryption required.
    public var memAES256XTS: Bool { bit(22) }
    /// Bit 23 RAPL_DIS: Running Average Power Limit must be disabled.
    public var raplDisabled: Bool { bit(23) }
    /// Bit 24 CIPHERTEXT_HIDING: DRAM ciphertext hiding required.
    public var ciphertextHiding: Bool { bit(24) }
    /// Bit 25 PAGE_SWAP_DISABLE: SNP_PAGE_MOVE / SWAP_OUT / SWAP_IN disabled (firmware ≥ 1.58).
    public var pageSwapDisabled: Bool { bit(25) }

    /// Bits set in the reserved range 63:26.
    public var reservedBits: UInt64 { rawValue & Self.reservedMask }
}
