/// PLATFORM_INFO (u64 at report offset 0x040): platform state when the report was made
/// (`docs/snp-abi.md` §3.2; go-sev-guest `ParseSnpPlatformInfo`).
///
/// Bits 6 and 63:8 are reserved. The parser does not reject them: newer firmware defines new
/// bits here, and ``reservedBits`` lets a policy decide.
public struct PlatformInfo: Sendable, Hashable {
    /// The raw 64-bit value.
    public let rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// Bits 6 and 63:8, reserved as of the reference.
    public static let reservedMask: UInt64 = ~0 << 8 | 1 << 6

    private func bit(_ n: UInt64) -> Bool { rawValue & (1 << n) != 0 }

    /// Bit 0 SMT_EN: SMT is enabled on the host.
    public var smtEnabled: Bool { bit(0) }
    /// Bit 1 TSME_EN: transparent SME is enabled.
    public var tsmeEnabled: Bool { bit(1) }
    /// Bit 2 ECC_EN: the platform uses ECC memory.
    public var eccEnabled: Bool { bit(2) }
    /// Bit 3 RAPL_DIS: RAPL is disabled.
    public var raplDisabled: Bool { bit(3) }
    /// Bit 4 CIPHERTEXT_HIDING_EN: DRAM ciphertext hiding is enabled.
    public var ciphertextHidingEnabled: Bool { bit(4) }
    /// Bit 5 ALIAS_CHECK_COMPLETE: the BadRAM alias check ran (AMD-SB-3015).
    public var aliasCheckComplete: Bool { bit(5) }
    /// Bit 7 TIO_EN: SEV-TIO is enabled.
    public var tioEnabled: Bool { bit(7) }

    /// Reserved bits that are set.
    public var reservedBits: UInt64 { rawValue & Self.reservedMask }
}
