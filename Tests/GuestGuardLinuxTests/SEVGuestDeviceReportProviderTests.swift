import GuestGuardLinux
import GuestGuardPlatform
import GuestGuardTestSupport
import SNPABI
import Testing

/// `SEVGuestDeviceReportProvider` against `FakeSEVGuestDevice`: the success path, the
/// certificate-buffer resize, the fallback to SNP_GET_REPORT, and each fault.
@Suite struct SEVGuestDeviceReportProviderTests {
    let clock = RecordingClock()
    let data = AttestationFixtures.reportData(5)

    func device(certificates: [UInt8] = AttestationFixtures.certificateTable, faults: [FakeSEVGuestDevice.Fault] = []) -> FakeSEVGuestDevice {
        FakeSEVGuestDevice(certificates: certificates, faults: faults, makeReport: AttestationFixtures.firmware)
    }

    func provider(_ device: FakeSEVGuestDevice, initialCertificatesLength: UInt32 = 0x4000, resizes: Int = 2)
        -> SEVGuestDeviceReportProvider<FakeSEVGuestDevice>
    {
        SEVGuestDeviceReportProvider(device: device, clock: clock, retryPolicy: AttestationFixtures.fastRetry,
                                     initialCertificatesLength: initialCertificatesLength, maximumCertificateResizes: resizes)
    }

    func fetch(_ device: FakeSEVGuestDevice, vmpl: UInt32 = 0, initialCertificatesLength: UInt32 = 0x4000, resizes: Int = 2)
        async throws(AttestationFetchError) -> RawAttestation
    {
        try await provider(device, initialCertificatesLength: initialCertificatesLength, resizes: resizes)
            .attestationReport(reportData: data, vmpl: vmpl)
    }

    @Test(arguments: [UInt32(0), 1, 3])
    func returnsTheReportForTheRequestAndTheCertificates(vmpl: UInt32) async throws {
        let device = device()
        let attestation = try await fetch(device, vmpl: vmpl)
        #expect(attestation.report == AttestationFixtures.firmware(data, vmpl))
        #expect(Array(attestation.report[0x50..<0x90]) == data)
        #expect(attestation.certificates == AttestationFixtures.certificateTable)
        #expect(attestation.provider == "sev-guest")
        #expect(device.calls == [.init(command: .getExtendedReport, messageVersion: 1, certificatesLength: 0x4000, outcome: .completed)])
        #expect(device.openHandles == 0)
    }

    @Test func aHostWithoutCertificatesGivesNil() async throws {
        let attestation = try await fetch(device(certificates: []))
        #expect(attestation.certificates == nil)
        #expect(attestation.report == AttestationFixtures.firmware(data, 0))
    }

    @Test func aTooSmallCertificateBufferIsGrownToWhatTheKernelAsks() async throws {
        let table = CertificateTable.serialize([(GUID.vcek, AttestationFixtures.vcek),
                                                (GUID.ask, [UInt8](repeating: 0xA5, count: 4000))])
        let device = device(certificates: table)
        #expect(device.requiredCertificatesLength == 0x2000)
        let attestation = try await fetch(device, initialCertificatesLength: 0x1000)
        #expect(attestation.certificates == table)
        #expect(device.calls.map(\.certificatesLength) == [0x1000, 0x2000])
        #expect(device.calls.map(\.outcome) == [.failed(errno: ErrnoName.EIO), .completed])
        #expect(clock.sleeps.isEmpty)
        #expect(device.openHandles == 0)
    }

    @Test func aHostNeedingMoreThanTheDriverMaximumFails() async {
        let device = device(certificates: [UInt8](repeating: 1, count: 0x4001))
        await #expect(throws: AttestationFetchError.certificateBufferTooLarge(requested: 0x5000, maximum: 0x4000)) {
            try await fetch(device)
        }
        #expect(device.openHandles == 0)
    }

    @Test func resizesAreBounded() async {
        let device = device(certificates: [UInt8](repeating: 1, count: 0x1001))
        let invalidLength = AttestationFetchError.guestRequestFailed(command: .getExtendedReport, errno: ErrnoName.EIO, exitInfo: .vmm(1))
        await #expect(throws: AttestationFetchError.retriesExhausted(.sevGuestDevice, attempts: 1, last: invalidLength)) {
            try await fetch(device, initialCertificatesLength: 0x1000, resizes: 0)
        }
        #expect(device.calls.count == 1)
    }

    @Test func anUnsupportedExtendedRequestFallsBackToThePlainReport() async throws {
        let device = device(faults: [.extendedReportUnsupported])
        let attestation = try await fetch(device, vmpl: 2)
        #expect(attestation.report == AttestationFixtures.firmware(data, 2))
        #expect(attestation.certificates == nil)
        #expect(device.calls.map(\.command) == [.getExtendedReport, .getReport])
        #expect(device.calls.map(\.outcome) == [.failed(errno: ErrnoName.ENOTTY), .completed])
    }

    @Test func aWipedVMPCKIsNamed() async {
        let device = device(faults: [.vmpckDisabled])
        let error = await #expect(throws: AttestationFetchError.vmpckDisabled(.sevGuestDevice)) { try await fetch(device) }
        #expect(error?.description.contains("VMPCK is disabled") == true)
        #expect(device.calls.map(\.command) == [.getExtendedReport, .getReport])
        #expect(device.openHandles == 0)
    }

    @Test(arguments: [ErrnoName.EBUSY, ErrnoName.EAGAIN])
    func busyIsRetriedWithExponentialBackoff(code: Int32) async throws {
        let device = device(faults: [.busy(times: 2, errno: code)])
        let attestation = try await fetch(device)
        #expect(attestation.report == AttestationFixtures.firmware(data, 0))
        #expect(clock.sleeps == [.microseconds(1), .microseconds(2)])
        #expect(device.calls.map(\.outcome) == [.failed(errno: code), .failed(errno: code), .completed])
    }

    @Test func busyBeyondTheAttemptBoundExhaustsRetries() async {
        let device = device(faults: [.busy(times: 100, errno: ErrnoName.EBUSY)])
        let busy = AttestationFetchError.guestRequestFailed(command: .getExtendedReport, errno: ErrnoName.EBUSY, exitInfo: .vmm(2))
        await #expect(throws: AttestationFetchError.retriesExhausted(.sevGuestDevice, attempts: 4, last: busy)) {
            try await fetch(device)
        }
        #expect(clock.sleeps == [.microseconds(1), .microseconds(2), .microseconds(3)])
        #expect(device.calls.count == 4)
        #expect(device.openHandles == 0)
    }

    @Test func aFirmwareErrorInExitInfo2IsNamedAndWipesTheKey() async {
        let device = device(faults: [.firmwareError(.invalidParam)])
        let error = await #expect(throws: AttestationFetchError.guestRequestFailed(
            command: .getExtendedReport, errno: ErrnoName.EIO, exitInfo: .firmware(.invalidParam))) { try await fetch(device) }
        #expect(error?.description.contains("EIO") == true)
        #expect(error?.description.contains("INVALID_PARAM") == true)
        // Like the driver, the fake wiped the VMPCK: the next request cannot succeed.
        await #expect(throws: AttestationFetchError.vmpckDisabled(.sevGuestDevice)) { try await fetch(device) }
    }

    @Test(arguments: [SEVFirmwareStatus.invalidParam, .invalidKey, SEVFirmwareStatus(rawValue: 0x1A)])
    func aFailureStatusInTheResponseHeaderIsNamed(status: SEVFirmwareStatus) async {
        let device = device(faults: [.responseStatus(status)])
        let error = await #expect(throws: AttestationFetchError.reportStatus(status)) { try await fetch(device) }
        #expect(error?.description.contains(status.name ?? "status 0x1a") == true)
    }

    @Test(arguments: [UInt32(0), 0x49F, 0x4A1, 4000])
    func aWrongReportSizeInTheResponseHeaderIsRejected(size: UInt32) async {
        let device = device(faults: [.responseReportSize(size)])
        await #expect(throws: AttestationFetchError.wrongReportSize(.sevGuestDevice, actual: Int(size))) { try await fetch(device) }
    }

    @Test func aFailedHypervisorCallIsReported() async {
        let device = device(faults: [.hypervisorCallFailed(2)])
        let error = await #expect(throws: AttestationFetchError.hypervisorCallFailed(command: .getExtendedReport, result: 2)) {
            try await fetch(device)
        }
        #expect(error?.description.contains("ES_VMM_ERROR") == true)
    }

    @Test func aMissingDeviceIsUnavailable() async {
        let device = FakeSEVGuestDevice(isPresent: false, makeReport: AttestationFixtures.firmware)
        let missing = PlatformError(operation: "open", target: device.path, errno: ErrnoName.ENOENT)
        await #expect(throws: AttestationFetchError.unavailable(.sevGuestDevice, missing)) { try await fetch(device) }
    }

    @Test func invalidArgumentsNeverReachTheDevice() async {
        let device = device()
        await #expect(throws: AttestationFetchError.invalidReportDataLength(65)) {
            try await provider(device).attestationReport(reportData: [UInt8](repeating: 0, count: 65), vmpl: 0)
        }
        await #expect(throws: AttestationFetchError.invalidVMPL(7)) {
            try await provider(device).attestationReport(reportData: data, vmpl: 7)
        }
        #expect(device.calls.isEmpty)
    }
}
