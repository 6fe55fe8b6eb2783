/// An SEV-SNP ATTESTATION_REPORT (AMD #56860; `docs/snp-abi.md` §3), versions 2, 3 and 5.
///
/// Parsing is strict (``init(bytes:generationHint:)``): exactly 0x4A0 bytes, a known VERSION,
/// SIGNATURE_ALGO 1, and every reserved byte and bit checked. The original bytes are kept;
/// verify the signature over ``signedBytes``, never over a re-encoding.
///
/// VERSION 4 is rejected: virtee/sev decodes it with the version-3 layout, but there is no
/// real version-4 vector and no layout text for it in the reference, so accepting it would
/// trust a layout nobody here has checked (fail closed).
public struct AttestationReport: Sendable, Hashable {
    /// Size of a report, 0x4A0.
    public static let byteCount = 0x4A0
    /// Size of the signed prefix, 0x2A0.
    public static let signedByteCount = 0x2A0
    /// VERSION values this parser accepts.
    public static let supportedVersions: [UInt32] = [2, 3, 5]

    /// The report exactly as received (0x4A0 bytes).
    public let bytes: [UInt8]
    /// Bytes 0x000..<0x2A0: exactly what ``signature`` covers. Verify these, never a re-encoding.
    public var signedBytes: ArraySlice<UInt8> { bytes[0..<Self.signedByteCount] }

    /// VERSION (0x000): 2, 3 or 5.
    public let version: UInt32
    /// GUEST_SVN (0x004): from the ID block.
    public let guestSVN: UInt32
    /// POLICY (0x008).
    public let policy: GuestPolicy
    /// FAMILY_ID (0x010, 16 bytes): from the ID block.
    public let familyID: [UInt8]
    /// IMAGE_ID (0x020, 16 bytes): from the ID block.
    public let imageID: [UInt8]
    /// VMPL (0x030): the VMPL requested in MSG_REPORT_REQ.
    public let vmpl: UInt32
    /// SIGNATURE_ALGO (0x034): always 1 (ECDSA P-384 with SHA-384) once parsed.
    public let signatureAlgorithm: UInt32
    /// CURRENT_TCB (0x038).
    public let currentTCB: TCBVersion
    /// PLATFORM_INFO (0x040).
    public let platformInfo: PlatformInfo
    /// KEY_INFO (0x048).
    public let keyInfo: KeyInfo
    /// REPORT_DATA (0x050, 64 bytes): guest-chosen; bind the broker nonce here.
    public let reportData: [UInt8]
    /// MEASUREMENT (0x090, 48 bytes): SHA-384 launch digest.
    public let measurement: [UInt8]
    /// HOST_DATA (0x0C0, 32 bytes): supplied by the hypervisor at launch.
    public let hostData: [UInt8]
    /// ID_KEY_DIGEST (0x0E0, 48 bytes): SHA-384 of the ID public key (zero without an ID block).
    public let idKeyDigest: [UInt8]
    /// AUTHOR_KEY_DIGEST (0x110, 48 bytes): SHA-384 of the author key (zero unless AUTHOR_KEY_EN).
    public let authorKeyDigest: [UInt8]
    /// REPORT_ID (0x140, 32 bytes).
    public let reportID: [UInt8]
    /// REPORT_ID_MA (0x160, 32 bytes): the migration agent's REPORT_ID; all 0xFF if none.
    public let reportIDMA: [UInt8]
    /// REPORTED_TCB (0x180): the TCB the VCEK/VLEK was derived from.
    public let reportedTCB: TCBVersion
    /// CPUID_FAM_ID (0x188, version ≥ 3): combined family; nil for version 2.
    public let cpuidFamilyID: UInt8?
    /// CPUID_MOD_ID (0x189, version ≥ 3): combined model; nil for version 2.
    public let cpuidModelID: UInt8?
    /// CPUID_STEP (0x18A, version ≥ 3): stepping; nil for version 2.
    public let cpuidStepping: UInt8?
    /// CHIP_ID (0x1A0, 64 bytes): zero when MASK_CHIP_KEY; on Turin only the first 8 bytes are used.
    public let chipID: [UInt8]
    /// COMMITTED_TCB (0x1E0).
    public let committedTCB: TCBVersion
    /// CURRENT_BUILD / MINOR / MAJOR (0x1E8-0x1EA).
    public let currentFirmware: FirmwareVersion
    /// COMMITTED_BUILD / MINOR / MAJOR (0x1EC-0x1EE).
    public let committedFirmware: FirmwareVersion
    /// LAUNCH_TCB (0x1F0): CURRENT_TCB when the guest was launched or imported.
    public let launchTCB: TCBVersion
    /// LAUNCH_MIT_VECTOR (0x1F8, version 5); nil otherwise.
    public let launchMitigationVector: UInt64?
    /// CURRENT_MIT_VECTOR (0x200, version 5); nil otherwise.
    public let currentMitigationVector: UInt64?
    /// SIGNATURE (0x2A0).
    public let signature: ReportSignature
    /// The processor generation, which fixes the TCB_VERSION layout; nil when undecidable
    /// (see ``init(bytes:generationHint:)``).
    public let generation: ProcessorGeneration?
}

extension AttestationReport: CustomStringConvertible {
    /// A one-line summary (version, generation, signer, VMPL, measurement, reported TCB, firmware).
    /// REPORT_DATA and CHIP_ID are left out; print them explicitly when needed.
    public var description: String {
        let signer: String
        switch keyInfo.signingKey {
        case .vcek: signer = "VCEK"
        case .vlek: signer = "VLEK"
        case .none: signer = "unsigned"
        case let .reserved(value): signer = "reserved(\(value))"
        }
        return "AttestationReport(v\(version), \(generation?.kdsProductName ?? "generation unknown"), \(signer), "
            + "vmpl \(vmpl), policy 0x\(String(policy.rawValue, radix: 16)), measurement \(hexString(measurement)), "
            + "reportedTCB \(reportedTCB), firmware \(currentFirmware))"
    }
}

extension AttestationReport {
    /// Encodes the parsed fields back into the 0x4A0-byte ABI layout (through
    /// ``AttestationReportDraft``).
    ///
    /// Parsing is lossless (every non-field byte is must-be-zero), so for a parsed report this
    /// equals ``bytes`` byte for byte. Use ``signedBytes`` for signature checks, not this.
    public func serializedBytes() -> [UInt8] {
        AttestationReportDraft(self).serializedBytes()
    }
}

extension GuestPolicy {
    /// The policy bits decoded: `ABI>=1.55 SMT=1 MIGRATE_MA=0 DEBUG=0 SINGLE_SOCKET=0 …`, every
    /// defined bit (docs/snp-abi.md §3.1), then any reserved bits set.
    public var decodedDescription: String {
        func flag(_ name: String, _ value: Bool) -> String { "\(name)=\(value ? 1 : 0)" }
        var parts = [
            "ABI>=\(abiMajor).\(abiMinor)", flag("SMT", smtAllowed), flag("MIGRATE_MA", migrateMA), flag("DEBUG", debug),
            flag("SINGLE_SOCKET", singleSocket), flag("CXL_ALLOW", cxlAllowed), flag("MEM_AES_256_XTS", memAES256XTS),
            flag("RAPL_DIS", raplDisabled), flag("CIPHERTEXT_HIDING", ciphertextHiding), flag("PAGE_SWAP_DISABLE", pageSwapDisabled),
        ]
        if !reservedMustBeOne { parts.append("reserved bit 17 CLEAR") }
        if reservedBits != 0 { parts.append("reserved bits 0x\(String(reservedBits, radix: 16)) SET") }
        return parts.joined(separator: " ")
    }
}

extension AttestationReport {
    /// What a tenant compares first, one `FIELD (offset): value` line each, in this order:
    /// MEASUREMENT, REPORT_DATA, HOST_DATA, POLICY (decoded), VMPL, REPORTED_TCB, CHIP_ID
    /// (offsets from docs/snp-abi.md §3). Values are printed whether or not the report verified.
    public var tenantSummaryLines: [String] {
        [
            "MEASUREMENT (0x090): \(hexString(measurement))",
            "REPORT_DATA (0x050): \(hexString(reportData))",
            "HOST_DATA (0x0C0): \(hexString(hostData))",
            "POLICY (0x008): 0x\(String(policy.rawValue, radix: 16)) \(policy.decodedDescription)",
            "VMPL (0x030): \(vmpl)",
            "REPORTED_TCB (0x180): \(reportedTCB) (0x\(String(reportedTCB.rawValue, radix: 16)))",
            "CHIP_ID (0x1A0): \(hexString(chipID))",
        ]
    }
}
