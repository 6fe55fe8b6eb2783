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
