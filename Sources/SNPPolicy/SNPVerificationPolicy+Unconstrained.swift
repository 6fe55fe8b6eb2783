extension SNPVerificationPolicy {
    /// What this policy lets through unchecked, one line each (`guestguard-broker policy show`).
    /// MEASUREMENT is never on the list: `measurements` is required and has no "any".
    public var unconstrained: [String] {
        var open: [String] = []
        if report.minimumTCBWaived {
            open.append("minimum-tcb: any TCB is accepted (minimum-tcb = \"any\")")
        } else if report.minimumTCB == nil {
            open.append("minimum-tcb: any TCB is accepted (no minimum-tcb)")
        }
        if report.minimumFirmware == nil { open.append("minimum-firmware: any firmware version") }
        if report.minimumABI == nil { open.append("minimum-abi: any ABI version") }
        if report.minimumGuestSVN == 0 { open.append("minimum-guest-svn: any GUEST_SVN") }
        if report.debug == .allow { open.append("debug: DEBUG guests are accepted (the host can read their memory)") }
        if report.migrationAgent == .allow { open.append("migration-agent: guests bound to a migration agent are accepted") }
        if report.platformInfo.isEmpty { open.append("platform-info: no PLATFORM_INFO flag is checked") }
        for field in [ReportBytesField.hostData, .idKeyDigest, .authorKeyDigest] where report.expectedBytes[field] == nil {
            open.append("\(field.rawValue): \(field.reportField) is not checked")
        }
        if tpm == nil { open.append("tpm: no TPM quote is required") }
        return open
    }

    /// Rules left open without saying so, which `guestguard-broker policy set` refuses: a policy
    /// with no minimum TCB must say `minimum-tcb = "any"`. (MEASUREMENT cannot be left open.)
    public var implicitlyUnconstrained: [String] {
        report.minimumTCB == nil && !report.minimumTCBWaived ? ["minimum-tcb (no minimum TCB: any TCB would be accepted)"] : []
    }
}
