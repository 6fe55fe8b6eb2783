import SNPABI
import SNPPolicy
import Testing

@Suite struct PolicyCompositionTests {
    @Test func everyViolationIsReportedNotJustTheFirst() throws {
        let report = try Fixture.goSEVGuest.report()
        let policy = ReportPolicySet {
            MeasurementAllowList([bytes(hex: Known.trusteeMeasurement)])
            DebugForbidden()
            MigrationAgentForbidden()
            SMTForbidden()
            VMPLAllowList([0])
            MinimumTCB(bootLoader: 3, snp: 8)
            MinimumFirmware(FirmwareVersion(major: 1, minor: 55, build: 0))
        }
        let evaluation = policy.check(report)
        #expect(!evaluation.isSatisfied)
        #expect(evaluation.violations.map(\.check) == [
            .measurement, .debug, .smt, .minimumTCB, .minimumTCB, .minimumFirmware,
        ])
        #expect(evaluation.violations.map(\.field.name) == [
            "MEASUREMENT", "POLICY.DEBUG", "POLICY.SMT", "REPORTED_TCB.BOOT_LOADER", "REPORTED_TCB.SNP",
            "CURRENT_MAJOR.MINOR.BUILD",
        ])
        #expect(evaluation.description == """
            6 violations
              measurements: MEASUREMENT (0x090): the launch measurement is not in the allow-list; expected \(Known.trusteeMeasurement), found \(Known.goSEVGuestMeasurement)
              debug: POLICY.DEBUG (0x008 bit 19): the guest policy lets the host debug (decrypt) the guest; expected 0, found 1
              smt: POLICY.SMT (0x008 bit 16): the guest policy allows the host to run with SMT enabled; expected 0, found 1
              minimum-tcb: REPORTED_TCB.BOOT_LOADER (0x180): the BOOT_LOADER security patch level in REPORTED_TCB is below the minimum; expected >= 3, found 2
              minimum-tcb: REPORTED_TCB.SNP (0x180): the SNP security patch level in REPORTED_TCB is below the minimum; expected >= 8, found 5
              minimum-firmware: CURRENT_MAJOR.MINOR.BUILD (0x1E8): the AMD-SP firmware is older than the minimum; expected >= 1.55.0, found 1.49.3
            """)
    }

    @Test func aSatisfiedPolicyHasNoViolations() throws {
        let report = try Fixture.trustee.report()
        let evaluation = ReportPolicySet {
            MeasurementAllowList([bytes(hex: Known.trusteeMeasurement)])
            DebugForbidden()
            MigrationAgentForbidden()
            VMPLAllowList()
            MinimumTCB(bootLoader: 3, tee: 0, snp: 8, microcode: 115)
            MinimumGuestSVN(4)
            ExpectedBytes(.familyID, [1] + [UInt8](repeating: 0, count: 15))
            ExpectedBytes(.imageID, [2] + [UInt8](repeating: 0, count: 15))
        }.check(report)
        #expect(evaluation.isSatisfied)
        #expect(evaluation.description == "satisfied")
    }

    @Test(arguments: [false, true])
    func builderHandlesConditionsLoopsAndNesting(strict: Bool) throws {
        let report = try Fixture.goSEVGuest.report()
        let fields: [ReportBytesField] = [.hostData, .familyID]
        let policy = ReportPolicySet {
            if strict {
                SMTForbidden()
            } else {
                VMPLAllowList([0])
            }
            for field in fields {
                ExpectedBytes(field, pattern(field.byteCount))
            }
            ReportPolicySet { DebugForbidden() }
            if strict { SingleSocketRequired() }
        }
        let checks = policy.check(report).violations.map(\.check)
        #expect(checks == (strict ? [.smt, .hostData, .familyID, .debug, .singleSocket] : [.hostData, .familyID, .debug]))
    }

    @Test func anArrayOfPoliciesComposesLikeTheBuilder() throws {
        let report = try Fixture.goSEVGuest.report()
        let policies: [any ReportPolicy] = [DebugForbidden(), SMTForbidden()]
        #expect(ReportPolicySet(policies).evaluate(report) == ReportPolicySet { DebugForbidden(); SMTForbidden() }.evaluate(report))
        #expect(ReportPolicySet([]).check(report).isSatisfied)
    }
}
