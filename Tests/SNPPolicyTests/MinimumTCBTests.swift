import SNPABI
import SNPPolicy
import Testing

@Suite struct MinimumTCBTests {
    @Test func reportedTCBAtOrAboveTheMinimumPasses() throws {
        // go-sev-guest: every TCB is bl 2 tee 0 snp 5 ucode 68.
        let report = try Fixture.goSEVGuest.report()
        #expect(MinimumTCB(bootLoader: 2, tee: 0, snp: 5, microcode: 68).evaluate(report).isEmpty)
        #expect(MinimumTCB(snp: 1).evaluate(report).isEmpty)
        #expect(MinimumTCB([:]).evaluate(report).isEmpty)
    }

    @Test func eachComponentBelowItsMinimumIsAViolation() throws {
        let report = try Fixture.goSEVGuest.report()
        let violations = MinimumTCB(bootLoader: 3, tee: 1, snp: 8, microcode: 115).evaluate(report)
        #expect(violations == [
            violation("REPORTED_TCB", 0x180, "BOOT_LOADER", minimum: 3, actual: 2),
            violation("REPORTED_TCB", 0x180, "TEE", minimum: 1, actual: 0),
            violation("REPORTED_TCB", 0x180, "SNP", minimum: 8, actual: 5),
            violation("REPORTED_TCB", 0x180, "MICROCODE", minimum: 115, actual: 68),
        ])
    }

    @Test func theSelectedTCBFieldsAreCheckedInOrder() throws {
        // trustee: CURRENT_TCB microcode 206, REPORTED/COMMITTED/LAUNCH microcode 115.
        let report = try Fixture.trustee.report()
        let all = MinimumTCB(microcode: 200, fields: [.reported, .current, .committed, .launch]).evaluate(report)
        #expect(all == [
            violation("REPORTED_TCB", 0x180, "MICROCODE", minimum: 200, actual: 115),
            violation("COMMITTED_TCB", 0x1E0, "MICROCODE", minimum: 200, actual: 115),
            violation("LAUNCH_TCB", 0x1F0, "MICROCODE", minimum: 200, actual: 115),
        ])
        #expect(MinimumTCB(microcode: 200, fields: [.current]).evaluate(report).isEmpty)
        #expect(MinimumTCB(microcode: 207, fields: [.current]).evaluate(report)
            == [violation("CURRENT_TCB", 0x038, "MICROCODE", minimum: 207, actual: 206)])
    }

    @Test func reportedTCBBelowCurrentIsCaughtOnReportedOnly() throws {
        // trustee VLEK: microcode current 220, committed 219, launch 219, reported 217.
        let report = try Fixture.trusteeVLEK.report()
        let minimum = MinimumTCB(microcode: 219, fields: [.reported, .current, .committed, .launch])
        #expect(minimum.evaluate(report) == [violation("REPORTED_TCB", 0x180, "MICROCODE", minimum: 219, actual: 217)])
    }

    @Test func fmcIsCheckedOnTurinAndSkippedBefore() throws {
        let turinTCB = TCBVersion(bootLoader: 1, tee: 1, snp: 3, microcode: 9, fmc: 2, generation: .turin)
        // The VLEK vector is version 3; CPUID family 0x1A model 0x00 makes it a Turin report.
        let turin = try Fixture.trusteeVLEK.report {
            $0.set(UInt8(0x1A), at: 0x188)
            $0.set(UInt8(0x00), at: 0x189)
            $0.set(turinTCB.rawValue, at: 0x180)
        }
        #expect(turin.generation == .turin)
        #expect(turin.reportedTCB.fmc == 2)
        #expect(MinimumTCB(snp: 3, fmc: 2).evaluate(turin).isEmpty)
        #expect(MinimumTCB(bootLoader: 1, snp: 4, fmc: 3).evaluate(turin) == [
            violation("REPORTED_TCB", 0x180, "SNP", minimum: 4, actual: 3),
            violation("REPORTED_TCB", 0x180, "FMC", minimum: 3, actual: 2),
        ])
        // Milan has no FMC level: the minimum does not apply.
        #expect(MinimumTCB(fmc: 3).evaluate(try Fixture.trusteeVLEK.report()).isEmpty)
    }

    private func violation(_ field: String, _ offset: Int, _ component: String, minimum: Int, actual: Int) -> PolicyViolation {
        PolicyViolation(
            check: .minimumTCB, field: ReportField(name: "\(field).\(component)", offset: offset),
            expected: ">= \(minimum)", actual: String(actual),
            reason: "the \(component) security patch level in \(field) is below the minimum")
    }
}
