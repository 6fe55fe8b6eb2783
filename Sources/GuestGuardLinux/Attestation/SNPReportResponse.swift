import GuestGuardPlatform
import SNPABI

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
        var reader = ByteReader(response)
        guard let status = try? reader.readLittleEndian(UInt32.self),
              let reportSize = try? reader.readLittleEndian(UInt32.self),
              (try? reader.skip(headerByteCount - 8)) != nil
        else { throw .wrongReportSize(.sevGuestDevice, actual: 0) }
        guard status == SEVFirmwareStatus.success.rawValue else { throw .reportStatus(SEVFirmwareStatus(rawValue: status)) }
        guard Int(reportSize) == RawAttestation.reportByteCount else {
            throw .wrongReportSize(.sevGuestDevice, actual: Int(reportSize))
        }
        guard let report = try? reader.readBytes(Int(reportSize)) else {
            throw .wrongReportSize(.sevGuestDevice, actual: reader.readableBytes)
        }
        return report
    }
}
