import GuestGuardLinux
import GuestGuardPlatform
import GuestGuardTestSupport
import Testing

/// `FallbackReportProvider`: configfs-tsm first, then /dev/sev-guest, keeping every reason.
@Suite struct FallbackReportProviderTests {
    let clock = RecordingClock()
    let data = AttestationFixtures.reportData(11)

    func chain(_ tsm: FakeTSMReport, _ device: FakeSEVGuestDevice) -> FallbackReportProvider {
        FallbackReportProvider([
            ("configfs-tsm", ConfigFSTSMReportProvider(interface: tsm, clock: clock, random: GetrandomSource(),
                                                       retryPolicy: AttestationFixtures.fastRetry)),
            ("sev-guest", SEVGuestDeviceReportProvider(device: device, clock: clock, retryPolicy: AttestationFixtures.fastRetry)),
        ])
    }

    @Test func theFirstWorkingProviderAnswersAndTheRestAreNotTouched() async throws {
        let tsm = FakeTSMReport(auxblob: AttestationFixtures.certificateTable, makeReport: AttestationFixtures.firmware)
        let device = FakeSEVGuestDevice(makeReport: AttestationFixtures.firmware)
        let attestation = try await chain(tsm, device).attestationReport(reportData: data, vmpl: 0)
        #expect(attestation.provider == "configfs-tsm")
        #expect(attestation.report == AttestationFixtures.firmware(data, 0))
        #expect(device.calls.isEmpty)
    }

    @Test func missingConfigFSFallsBackToTheDevice() async throws {
        let tsm = FakeTSMReport(isPresent: false, makeReport: AttestationFixtures.firmware)
        let device = FakeSEVGuestDevice(certificates: AttestationFixtures.certificateTable, makeReport: AttestationFixtures.firmware)
        let attestation = try await chain(tsm, device).attestationReport(reportData: data, vmpl: 1)
        #expect(attestation.provider == "sev-guest")
        #expect(attestation.report == AttestationFixtures.firmware(data, 1))
        #expect(attestation.certificates == AttestationFixtures.certificateTable)
    }

    @Test func aFailingConfigFSEntryIsRemovedBeforeTheDeviceIsTried() async throws {
        let tsm = FakeTSMReport(faults: [.concurrentWriteDuringRead], makeReport: AttestationFixtures.firmware)
        let device = FakeSEVGuestDevice(makeReport: AttestationFixtures.firmware)
        let attestation = try await chain(tsm, device).attestationReport(reportData: data, vmpl: 0)
        #expect(attestation.provider == "sev-guest")
        #expect(tsm.createdEntries.count == 1)
        #expect(tsm.liveEntries.isEmpty)
    }

    @Test func whenAllFailEveryReasonIsKeptInOrder() async {
        let tsm = FakeTSMReport(providerName: "tdx_guest", makeReport: AttestationFixtures.firmware)
        let device = FakeSEVGuestDevice(faults: [.vmpckDisabled], makeReport: AttestationFixtures.firmware)
        let error = await #expect(throws: AttestationFetchError.allProvidersFailed([
            AttestationProviderFailure(provider: "configfs-tsm", error: .wrongTSMProvider(found: "tdx_guest")),
            AttestationProviderFailure(provider: "sev-guest", error: .vmpckDisabled(.sevGuestDevice)),
        ])) {
            try await chain(tsm, device).attestationReport(reportData: data, vmpl: 0)
        }
        let text = error?.description ?? ""
        #expect(text.contains("configfs-tsm: configfs-tsm provider is \"tdx_guest\""))
        #expect(text.contains("sev-guest: sev-guest: VMPCK is disabled"))
    }

    @Test func invalidArgumentsAreReportedOnceNotPerProvider() async {
        let tsm = FakeTSMReport(makeReport: AttestationFixtures.firmware)
        let device = FakeSEVGuestDevice(makeReport: AttestationFixtures.firmware)
        await #expect(throws: AttestationFetchError.invalidReportDataLength(3)) {
            try await chain(tsm, device).attestationReport(reportData: [1, 2, 3], vmpl: 0)
        }
        #expect(tsm.createdEntries.isEmpty)
        #expect(device.calls.isEmpty)
    }

    @Test func anEmptyChainFailsWithNoReasons() async {
        await #expect(throws: AttestationFetchError.allProvidersFailed([])) {
            try await FallbackReportProvider([]).attestationReport(reportData: data, vmpl: 0)
        }
    }
}
