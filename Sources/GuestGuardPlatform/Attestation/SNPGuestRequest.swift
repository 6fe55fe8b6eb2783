/// One report request through `/dev/sev-guest`, in Swift terms: the fields of
/// `struct snp_guest_request_ioctl` with its `snp_report_req` / `snp_ext_report_req` input and
/// `snp_report_resp` output (`<linux/sev-guest.h>`).
///
/// `SEVGuestDeviceInterface.perform` fills the output fields the way the kernel does, so the
/// retry and parsing logic above it is the same against the real device and a fake.
public struct SNPGuestRequest: Sendable, Hashable {
    /// `sizeof(struct snp_report_resp)`: the response buffer the driver copies out.
    public static let responseByteCount = 4000

    /// `msg_version`: must be non-zero (the driver returns EINVAL for 0); 1 is the only version.
    public var messageVersion: UInt8
    /// `snp_report_req.user_data[64]`, becomes REPORT_DATA.
    public var reportData: [UInt8]
    /// `snp_report_req.vmpl`.
    public var vmpl: UInt32
    /// `snp_ext_report_req.certs_len` (extended request only). In: the certificate buffer size
    /// (page-aligned, at most `SEV_FW_BLOB_MAX_SIZE`, 0 = no certificates). Out: after EIO with
    /// VMM error INVALID_LEN, the size the host needs.
    public var certificatesLength: UInt32
    /// Out (extended request, success): the `certificatesLength` bytes the driver copied into the
    /// certificate buffer (all zero when the host supplied none).
    public var certificates: [UInt8]
    /// Out (success): `snp_report_resp.data`, `responseByteCount` bytes starting with the
    /// MSG_REPORT_RSP header.
    public var response: [UInt8]
    /// In/out: `exitinfo2`; the driver writes it back only when non-zero.
    public var exitInfo: GuestRequestExitInfo

    public init(reportData: [UInt8], vmpl: UInt32, certificatesLength: UInt32 = 0, messageVersion: UInt8 = 1) {
        self.messageVersion = messageVersion
        self.reportData = reportData
        self.vmpl = vmpl
        self.certificatesLength = certificatesLength
        self.certificates = []
        self.response = []
        self.exitInfo = .none
    }
}
