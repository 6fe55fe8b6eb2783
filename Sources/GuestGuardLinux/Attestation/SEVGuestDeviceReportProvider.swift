import CGuestGuardLinux
import GuestGuardPlatform
import SNPABI

/// SNP reports through the `sev-guest` driver's ioctls (`<linux/sev-guest.h>`, docs/snp-abi.md §2.1).
///
/// One call opens the device, then:
/// 1. issues `SNP_GET_EXT_REPORT` with a page-aligned certificate buffer of
///    `initialCertificatesLength` bytes;
/// 2. on EIO with VMM error INVALID_LEN (`exitinfo2 == 1 << 32`) the driver has written the size
///    the host needs into `certs_len`: the request is repeated with that size (page-rounded, at
///    most `SEV_FW_BLOB_MAX_SIZE`, at most `maximumCertificateResizes` times);
/// 3. when the extended ioctl is not supported (ENOTTY, EOPNOTSUPP, ENOSYS) it falls back to
///    `SNP_GET_REPORT` (no certificates). ENOTTY is also the driver's answer once it has wiped the
///    VMPCK; the fallback then fails the same way and the error says "VMPCK is disabled";
/// 4. EBUSY / EAGAIN are retried with exponential backoff on the injected clock;
/// 5. the MSG_REPORT_RSP header is checked (STATUS SUCCESS, REPORT_SIZE 0x4A0).
///
/// The syscalls are behind `SEVGuestDeviceInterface`: `DevSEVGuestDevice` in production,
/// `FakeSEVGuestDevice` in tests.
public struct SEVGuestDeviceReportProvider<Device: SEVGuestDeviceInterface>: AttestationReportProvider {
    /// x86-64 page size; `certs_len` must be a multiple of it.
    public static var pageSize: UInt32 { 4096 }
    /// `SEV_FW_BLOB_MAX_SIZE` (0x4000): the largest `certs_len` the driver accepts.
    public static var maximumCertificatesLength: UInt32 { UInt32(GUESTGUARD_SEV_FW_BLOB_MAX_SIZE) }

    public let device: Device
    public let clock: any WallClock
    public let retryPolicy: RetryPolicy
    /// The first `certs_len`: page-aligned, 1 page up to `maximumCertificatesLength`.
    public let initialCertificatesLength: UInt32
    /// How often the buffer may grow after INVALID_LEN.
    public let maximumCertificateResizes: Int

    /// - Parameters:
    ///   - initialCertificatesLength: defaults to 4 pages (16 KiB, the driver's maximum and what
    ///     configfs-tsm uses), so a host with certificates normally answers in one request.
    public init(
        device: Device,
        clock: any WallClock,
        retryPolicy: RetryPolicy = .attestation,
        initialCertificatesLength: UInt32 = 4 * 4096,
        maximumCertificateResizes: Int = 2
    ) {
        precondition(initialCertificatesLength > 0 && initialCertificatesLength % Self.pageSize == 0
            && initialCertificatesLength <= Self.maximumCertificatesLength,
            "initialCertificatesLength must be a non-zero multiple of 4096 up to 0x4000")
        self.device = device
        self.clock = clock
        self.retryPolicy = retryPolicy
        self.initialCertificatesLength = initialCertificatesLength
        self.maximumCertificateResizes = maximumCertificateResizes
    }

    public func attestationReport(reportData: [UInt8], vmpl: UInt32) throws(AttestationFetchError) -> RawAttestation {
        try Self.validate(reportData: reportData, vmpl: vmpl)
        let handle: Device.Handle
        do {
            handle = try device.openDevice()
        } catch {
            let missing = [ErrnoName.ENOENT, ErrnoName.ENODEV, ErrnoName.ENXIO].contains(error.errno)
            throw missing ? .unavailable(.sevGuestDevice, error) : .system(.sevGuestDevice, error)
        }
        defer { device.closeDevice(handle) }
        return try extendedReport(reportData: reportData, vmpl: vmpl, handle: handle)
    }

    /// Steps 1–3: SNP_GET_EXT_REPORT, growing the certificate buffer when the host asks.
    func extendedReport(reportData: [UInt8], vmpl: UInt32, handle: Device.Handle) throws(AttestationFetchError) -> RawAttestation {
        var length = initialCertificatesLength
        var resizes = 0
        while true {
            let request = SNPGuestRequest(reportData: reportData, vmpl: vmpl, certificatesLength: length)
            let (outcome, answered) = try issue(.getExtendedReport, request, handle: handle)
            switch outcome {
            case .completed:
                return RawAttestation(
                    report: try SNPReportResponse.report(fromResponse: answered.response),
                    certificates: GHCBCertificateTable.trimmed(answered.certificates),
                    provider: AttestationInterface.sevGuestDevice.rawValue)
            case .failed(let code) where code == ErrnoName.EIO && answered.exitInfo.vmmError == GuestRequestExitInfo.vmmInvalidLength:
                let failure = AttestationFetchError.guestRequestFailed(command: .getExtendedReport, errno: code, exitInfo: answered.exitInfo)
                let needed = Self.pageRounded(answered.certificatesLength)
                guard needed <= UInt64(Self.maximumCertificatesLength) else {
                    throw .certificateBufferTooLarge(requested: answered.certificatesLength, maximum: Self.maximumCertificatesLength)
                }
                // The host said "too small" but asks for no more: repeating would loop.
                guard needed > UInt64(length) else { throw failure }
                guard resizes < maximumCertificateResizes else {
                    throw .retriesExhausted(.sevGuestDevice, attempts: resizes + 1, last: failure)
                }
                resizes += 1
                length = UInt32(needed)
            case .failed(let code) where [ErrnoName.ENOTTY, ErrnoName.EOPNOTSUPP, ErrnoName.ENOSYS].contains(code):
                return try plainReport(reportData: reportData, vmpl: vmpl, handle: handle)
            case .failed(let code):
                throw Self.failure(.getExtendedReport, errno: code, exitInfo: answered.exitInfo)
            case .hypervisorCallFailed(let result):
                throw .hypervisorCallFailed(command: .getExtendedReport, result: result)
            }
        }
    }

    /// SNP_GET_REPORT: the report without certificates.
    func plainReport(reportData: [UInt8], vmpl: UInt32, handle: Device.Handle) throws(AttestationFetchError) -> RawAttestation {
        let request = SNPGuestRequest(reportData: reportData, vmpl: vmpl)
        let (outcome, answered) = try issue(.getReport, request, handle: handle)
        switch outcome {
        case .completed:
            return RawAttestation(
                report: try SNPReportResponse.report(fromResponse: answered.response),
                certificates: nil,
                provider: AttestationInterface.sevGuestDevice.rawValue)
        case .failed(let code):
            throw Self.failure(.getReport, errno: code, exitInfo: answered.exitInfo)
        case .hypervisorCallFailed(let result):
            throw .hypervisorCallFailed(command: .getReport, result: result)
        }
    }

    /// One ioctl, repeated with backoff while the device answers EBUSY or EAGAIN.
    func issue(_ command: SNPGuestCommand, _ request: SNPGuestRequest, handle: Device.Handle)
        throws(AttestationFetchError) -> (SNPGuestIoctlOutcome, SNPGuestRequest)
    {
        try retryingWithBackoff(
            policy: retryPolicy, clock: clock, interface: .sevGuestDevice,
            isRetryable: { error in
                if case .guestRequestFailed(_, let code, _) = error { return isBusyErrno(code) }
                return false
            }
        ) { () throws(AttestationFetchError) -> (SNPGuestIoctlOutcome, SNPGuestRequest) in
            var answered = request
            let outcome = device.perform(command, on: handle, request: &answered)
            if case .failed(let code) = outcome, isBusyErrno(code) {
                throw .guestRequestFailed(command: command, errno: code, exitInfo: answered.exitInfo)
            }
            return (outcome, answered)
        }
    }

    /// ENOTTY is the driver's "VMPCK is disabled"; anything else keeps errno and `exitinfo2`.
    static func failure(_ command: SNPGuestCommand, errno code: Int32, exitInfo: GuestRequestExitInfo) -> AttestationFetchError {
        code == ErrnoName.ENOTTY ? .vmpckDisabled(.sevGuestDevice) : .guestRequestFailed(command: command, errno: code, exitInfo: exitInfo)
    }

    static func pageRounded(_ length: UInt32) -> UInt64 {
        let page = UInt64(pageSize)
        return (UInt64(length) + page - 1) / page * page
    }
}

/// Cuts the SNP_GET_EXT_REPORT certificate buffer to its table's extent, the way
/// `sev_report_new()` cuts configfs-tsm's `auxblob` (max(offset + length) over the entries), so
/// both interfaces return the same bytes. The table format is SNPABI's `CertificateTable`
/// (GHCB #56421 §4.1.8.1; docs/snp-abi.md §4.4).
enum GHCBCertificateTable {
    /// The buffer cut to the extent of its entries, or nil when the host supplied no
    /// certificates (an empty table). A table that does not parse is returned whole, unjudged:
    /// fetching is not verifying, and the verifier's parse names the defect.
    static func trimmed(_ buffer: [UInt8]) -> [UInt8]? {
        guard let table = try? CertificateTable(bytes: buffer) else { return buffer }
        guard let extent = table.entries.map({ Int($0.offset) + Int($0.length) }).max() else { return nil }
        return Array(buffer.prefix(extent))
    }
}
