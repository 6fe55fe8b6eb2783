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
