import GuestGuardLinux
import GuestGuardPlatform
import GuestGuardTestSupport
import Testing

/// `ConfigFSTSMReportProvider` against `FakeTSMReport`: the success path and each fault, and the
/// entry is removed every time.
@Suite struct ConfigFSTSMReportProviderTests {
    let clock = RecordingClock()

    func provider(_ fake: FakeTSMReport, retry: RetryPolicy = AttestationFixtures.fastRetry) -> ConfigFSTSMReportProvider<FakeTSMReport> {
        ConfigFSTSMReportProvider(interface: fake, clock: clock, random: GetrandomSource(), retryPolicy: retry)
    }

    func fake(floor: UInt32 = 0, provider: String = "sev_guest", auxblob: [UInt8] = AttestationFixtures.certificateTable,
              faults: [FakeTSMReport.Fault] = []) -> FakeTSMReport {
        FakeTSMReport(providerName: provider, privlevelFloor: floor, auxblob: auxblob, faults: faults,
                      makeReport: AttestationFixtures.firmware)
    }

    /// The entry was created once, removed once, and nothing is left behind.
    func expectCleanedUp(_ fake: FakeTSMReport) {
        #expect(fake.createdEntries.count == 1)
        #expect(fake.removedEntries == fake.createdEntries)
        #expect(fake.liveEntries.isEmpty)
    }

    @Test(arguments: [UInt32(0), 1, 2, 3])
    func returnsTheReportForTheRequestAndTheCertificates(vmpl: UInt32) async throws {
        let fake = fake()
        let data = AttestationFixtures.reportData(UInt8(vmpl) + 7)
        let attestation = try await provider(fake).attestationReport(reportData: data, vmpl: vmpl)
        #expect(attestation.report == AttestationFixtures.firmware(data, vmpl))
        #expect(Array(attestation.report[0x50..<0x90]) == data)
        #expect(attestation.report[0x30] == UInt8(vmpl))
        #expect(attestation.certificates == AttestationFixtures.certificateTable)
        #expect(attestation.provider == "configfs-tsm")
        #expect(fake.createdEntries.first?.hasPrefix("guestguard-") == true)
        expectCleanedUp(fake)
        #expect(clock.sleeps.isEmpty)
    }

    @Test func eachRequestGetsItsOwnEntryAndReport() async throws {
        let fake = fake()
        let first = try await provider(fake).attestationReport(reportData: AttestationFixtures.reportData(1), vmpl: 0)
        let second = try await provider(fake).attestationReport(reportData: AttestationFixtures.reportData(2), vmpl: 0)
        #expect(first.report != second.report)
        #expect(Array(second.report[0x50..<0x90]) == AttestationFixtures.reportData(2))
        #expect(Set(fake.createdEntries).count == 2)
        #expect(fake.liveEntries.isEmpty)
    }

    @Test func noCertificatesGiveNil() async throws {
        let fake = fake(auxblob: [])
        let attestation = try await provider(fake).attestationReport(reportData: AttestationFixtures.reportData(), vmpl: 0)
        #expect(attestation.certificates == nil)
        #expect(attestation.report == AttestationFixtures.firmware(AttestationFixtures.reportData(), 0))
    }

    @Test(arguments: [0, 32, 63, 65, 128])
    func rejectsReportDataThatIsNot64BytesBeforeCreatingAnEntry(count: Int) async {
        let fake = fake()
        await #expect(throws: AttestationFetchError.invalidReportDataLength(count)) {
            try await provider(fake).attestationReport(reportData: [UInt8](repeating: 1, count: count), vmpl: 0)
        }
        #expect(fake.createdEntries.isEmpty)
    }

    @Test func rejectsVMPLAboveThree() async {
        let fake = fake()
        await #expect(throws: AttestationFetchError.invalidVMPL(4)) {
            try await provider(fake).attestationReport(reportData: AttestationFixtures.reportData(), vmpl: 4)
        }
        #expect(fake.createdEntries.isEmpty)
    }

    @Test func vmplBelowTheFloorIsRejectedWithTheFloor() async {
        let fake = fake(floor: 2)
        await #expect(throws: AttestationFetchError.vmplRejected(requested: 1, floor: 2)) {
            try await provider(fake).attestationReport(reportData: AttestationFixtures.reportData(), vmpl: 1)
        }
        expectCleanedUp(fake)
    }

    @Test func aTDXProviderIsNotAnSNPGuest() async {
        let fake = fake(provider: "tdx_guest")
        await #expect(throws: AttestationFetchError.wrongTSMProvider(found: "tdx_guest")) {
            try await provider(fake).attestationReport(reportData: AttestationFixtures.reportData(), vmpl: 0)
        }
        expectCleanedUp(fake)
        #expect(fake.generationAttempts == 0)
    }

    @Test func aConcurrentWriterDuringTheReadFails() async throws {
        let fake = fake(faults: [.concurrentWriteDuringRead])
        let error = await #expect(throws: AttestationFetchError.self) {
            try await provider(fake).attestationReport(reportData: AttestationFixtures.reportData(), vmpl: 0)
        }
        let entry = try #require(fake.createdEntries.first)
        #expect(error == .concurrentWriter(entry: entry, expectedGeneration: 2, observedGeneration: 3))
        expectCleanedUp(fake)
    }

    @Test(arguments: [ErrnoName.EBUSY, ErrnoName.EAGAIN])
    func busyIsRetriedWithExponentialBackoff(code: Int32) async throws {
        let fake = fake(faults: [.busy(times: 3, errno: code)])
        let data = AttestationFixtures.reportData(9)
        let attestation = try await provider(fake).attestationReport(reportData: data, vmpl: 0)
        #expect(attestation.report == AttestationFixtures.firmware(data, 0))
        #expect(clock.sleeps == [.microseconds(1), .microseconds(2), .microseconds(3)])
        #expect(fake.generationAttempts == 4)
        expectCleanedUp(fake)
    }

    @Test func busyBeyondTheAttemptBoundExhaustsRetries() async throws {
        let fake = fake(faults: [.busy(times: 10, errno: ErrnoName.EBUSY)])
        let error = await #expect(throws: AttestationFetchError.self) {
            try await provider(fake).attestationReport(reportData: AttestationFixtures.reportData(), vmpl: 0)
        }
        let entry = try #require(fake.createdEntries.first)
        let busy = PlatformError(operation: "read", target: "\(fake.location)/\(entry)/outblob", errno: ErrnoName.EBUSY)
        #expect(error == .retriesExhausted(.configFSTSM, attempts: 4, last: .system(.configFSTSM, busy)))
        #expect(fake.generationAttempts == 4)
        #expect(clock.sleeps.count == 3)
        expectCleanedUp(fake)
    }

    @Test(arguments: [0, 100, 0x4A0 - 1, 0x4A0 + 1, 0x1000])
    func anOutblobThatIsNot0x4A0BytesIsRejected(length: Int) async {
        let fake = fake(faults: [.outblobLength(length)])
        await #expect(throws: AttestationFetchError.wrongReportSize(.configFSTSM, actual: length)) {
            try await provider(fake).attestationReport(reportData: AttestationFixtures.reportData(), vmpl: 0)
        }
        expectCleanedUp(fake)
    }

    @Test func aWipedVMPCKIsNamed() async {
        let fake = fake(faults: [.vmpckDisabled])
        await #expect(throws: AttestationFetchError.vmpckDisabled(.configFSTSM)) {
            try await provider(fake).attestationReport(reportData: AttestationFixtures.reportData(), vmpl: 0)
        }
        expectCleanedUp(fake)
    }

    @Test(arguments: [(ErrnoName.EINVAL, "INVALID_PARAM or INVALID_KEY"), (ErrnoName.ENXIO, "error STATUS")])
    func firmwareErrorsKeepTheErrnoAndExplainIt(code: Int32, explanation: String) async throws {
        let fake = fake(faults: [.firmwareError(errno: code)])
        let error = await #expect(throws: AttestationFetchError.self) {
            try await provider(fake).attestationReport(reportData: AttestationFixtures.reportData(), vmpl: 0)
        }
        guard case .system(.configFSTSM, let failure) = try #require(error) else {
            Issue.record("expected a configfs-tsm system error, got \(String(describing: error))")
            return
        }
        #expect(failure.errno == code)
        #expect(failure.target?.hasSuffix("/outblob") == true)
        #expect(failure.description.contains(explanation))
        expectCleanedUp(fake)
    }

    @Test func missingConfigFSIsUnavailable() async {
        let fake = FakeTSMReport(isPresent: false, makeReport: AttestationFixtures.firmware)
        let error = await #expect(throws: AttestationFetchError.self) {
            try await provider(fake).attestationReport(reportData: AttestationFixtures.reportData(), vmpl: 0)
        }
        guard case .unavailable(.configFSTSM, let failure) = error else {
            Issue.record("expected unavailable, got \(String(describing: error))")
            return
        }
        #expect(failure.operation == "mkdir")
        #expect(failure.errno == ErrnoName.ENOENT)
        #expect(fake.liveEntries.isEmpty)
    }
}
