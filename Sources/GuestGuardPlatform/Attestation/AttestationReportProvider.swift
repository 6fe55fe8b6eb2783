/// Something that can obtain a signed SNP attestation report: the kernel's configfs-tsm
/// interface, `/dev/sev-guest`, a chain of both, or the simulated secure processor in tests.
/// Synchronous (it blocks the calling thread): `guestguard-boot` links no Swift concurrency; an async caller
/// calls it as it is.
public protocol AttestationReportProvider: Sendable {
    /// Requests an ATTESTATION_REPORT whose REPORT_DATA (offset 0x50) is `reportData` and whose
    /// VMPL field (offset 0x30) is `vmpl`.
    ///
    /// - Parameters:
    ///   - reportData: exactly 64 bytes (MSG_REPORT_REQ REPORT_DATA); other lengths throw
    ///     `AttestationFetchError.invalidReportDataLength`.
    ///   - vmpl: 0...3, at least the VMPL the guest runs at (configfs-tsm `privlevel_floor`).
    func attestationReport(reportData: [UInt8], vmpl: UInt32) throws(AttestationFetchError) -> RawAttestation
}

extension AttestationReportProvider {
    /// REPORT_DATA length required by MSG_REPORT_REQ (64 bytes).
    public static var reportDataByteCount: Int { 64 }
    /// Highest VMPL a report may be requested for (`TSM_PRIVLEVEL_MAX`, GHCB).
    public static var maximumVMPL: UInt32 { 3 }

    /// Checks the arguments every provider must reject before touching the platform.
    public static func validate(reportData: [UInt8], vmpl: UInt32) throws(AttestationFetchError) {
        guard reportData.count == reportDataByteCount else { throw .invalidReportDataLength(reportData.count) }
        guard vmpl <= maximumVMPL else { throw .invalidVMPL(vmpl) }
    }
}
