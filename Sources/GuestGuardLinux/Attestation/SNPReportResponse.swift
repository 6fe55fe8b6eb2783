import GuestGuardPlatform

/// MSG_REPORT_RSP as the driver returns it in `snp_report_resp.data` (SEV-SNP ABI #56860,
/// "MSG_REPORT_RSP"; kernel `struct snp_msg_report_resp_hdr`):
///
/// | offset | size | field |
/// |---|---|---|
/// | 0x00 | 4 | STATUS (0 SUCCESS, 0x16 INVALID_PARAM, 0x27 INVALID_KEY) |
/// | 0x04 | 4 | REPORT_SIZE (0x4A0) |
/// | 0x08 | 24 | reserved |
/// | 0x20 | 0x4A0 | ATTESTATION_REPORT |
///
/// The reserved bytes are not checked: they are outside the signed report, and neither the
/// driver nor go-sev-guest (`SnpReportRespABI.Finish`) rejects them.
enum SNPReportResponse {
    static let headerByteCount = 0x20

    /// The report bytes after checking STATUS and REPORT_SIZE.
    static func report(fromResponse response: [UInt8]) throws(AttestationFetchError) -> [UInt8] {
        guard response.count >= headerByteCount else {
            throw .wrongReportSize(.sevGuestDevice, actual: 0)
        }
        let status = SEVFirmwareStatus(rawValue: littleEndianUInt32(response, at: 0))
        guard status == .success else { throw .reportStatus(status) }
        let reportSize = Int(littleEndianUInt32(response, at: 4))
        guard reportSize == RawAttestation.reportByteCount else {
            throw .wrongReportSize(.sevGuestDevice, actual: reportSize)
        }
        guard response.count >= headerByteCount + reportSize else {
            throw .wrongReportSize(.sevGuestDevice, actual: response.count - headerByteCount)
        }
        return Array(response[headerByteCount..<headerByteCount + reportSize])
    }
}
