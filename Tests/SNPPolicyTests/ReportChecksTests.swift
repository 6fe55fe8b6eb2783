import SNPABI
import SNPPolicy
import Testing

/// Each check against real reports and against the same reports patched at the field it reads.
@Suite struct ReportChecksTests {
    @Test func measurementAllowList() throws {
        let report = try Fixture.goSEVGuest.report()
        let trustee = bytes(hex: Known.trusteeMeasurement)
        #expect(MeasurementAllowList([trustee, bytes(hex: Known.goSEVGuestMeasurement)]).evaluate(report).isEmpty)
        #expect(MeasurementAllowList([trustee]).evaluate(report) == [PolicyViolation(
            check: .measurement, field: .measurement, expected: Known.trusteeMeasurement,
            actual: Known.goSEVGuestMeasurement, reason: "the launch measurement is not in the allow-list")])
        let two = MeasurementAllowList([trustee, pattern(48)]).evaluate(report)
        #expect(two.map(\.expected) == ["one of \(Known.trusteeMeasurement), \(hex(pattern(48)))"])
        #expect(MeasurementAllowList([]).evaluate(report).map(\.expected) == ["nothing (empty allow-list)"])
    }

    @Test func debugForbidden() throws {
        // go-sev-guest's report was made by a guest launched with DEBUG=1.
        #expect(DebugForbidden().evaluate(try Fixture.goSEVGuest.report()) == [PolicyViolation(
            check: .debug, field: .policyDebug, expected: "0", actual: "1",
            reason: "the guest policy lets the host debug (decrypt) the guest")])
        #expect(DebugForbidden().evaluate(try Fixture.goSEVGuest.report { $0.setPolicyBit(19, false) }).isEmpty)
        #expect(DebugForbidden().evaluate(try Fixture.trustee.report()).isEmpty)
        #expect(try Fixture.goSEVGuest.report().policy.debug)
    }

    @Test func migrationAgentForbiddenChecksThePolicyBitAndReportIDMA() throws {
        #expect(MigrationAgentForbidden().evaluate(try Fixture.goSEVGuest.report()).isEmpty)
        let policyBit = PolicyViolation(
            check: .migrationAgent, field: .policyMigrateMA, expected: "0", actual: "1",
            reason: "the guest policy allows a migration agent, which can export the guest's memory")
        let boundAgent = PolicyViolation(
            check: .migrationAgent, field: .reportIDMA, expected: Known.noMigrationAgent, actual: hex(pattern(32)),
            reason: "the guest is bound to a migration agent")
        #expect(MigrationAgentForbidden().evaluate(try Fixture.goSEVGuest.report { $0.setPolicyBit(18, true) })
            == [policyBit])
        #expect(MigrationAgentForbidden().evaluate(try Fixture.goSEVGuest.report { $0.set(pattern(32), at: 0x160) })
            == [boundAgent])
        let both = try Fixture.goSEVGuest.report {
            $0.setPolicyBit(18, true)
            $0.set(pattern(32), at: 0x160)
        }
        #expect(MigrationAgentForbidden().evaluate(both) == [policyBit, boundAgent])
    }

    @Test func smtForbidden() throws {
        #expect(SMTForbidden().evaluate(try Fixture.goSEVGuest.report()) == [PolicyViolation(
            check: .smt, field: .policySMT, expected: "0", actual: "1",
            reason: "the guest policy allows the host to run with SMT enabled")])
        #expect(SMTForbidden().evaluate(try Fixture.goSEVGuest.report { $0.setPolicyBit(16, false) }).isEmpty)
    }

    @Test func singleSocketRequired() throws {
        #expect(SingleSocketRequired().evaluate(try Fixture.goSEVGuest.report()) == [PolicyViolation(
            check: .singleSocket, field: .policySingleSocket, expected: "1", actual: "0",
            reason: "the guest policy does not restrict the guest to a single socket")])
        #expect(SingleSocketRequired().evaluate(try Fixture.goSEVGuest.report { $0.setPolicyBit(20, true) }).isEmpty)
    }

    @Test func vmplAllowList() throws {
        let vlek = try Fixture.trusteeVLEK.report()
        #expect(vlek.vmpl == 1)
        #expect(VMPLAllowList().evaluate(vlek) == [PolicyViolation(
            check: .vmpl, field: .vmpl, expected: "0", actual: "1",
            reason: "the report was requested at a VMPL the policy does not allow")])
        #expect(VMPLAllowList([0, 1]).evaluate(vlek).isEmpty)
        let atThree = try Fixture.goSEVGuest.report { $0.set(UInt32(3), at: 0x030) }
        #expect(VMPLAllowList([0, 1]).evaluate(atThree).map { [$0.expected, $0.actual] } == [["one of 0, 1", "3"]])
        #expect(VMPLAllowList([]).evaluate(atThree).map(\.expected) == ["nothing (empty allow-list)"])
    }

    @Test(arguments: [
        (ReportBytesField.reportData, 0x050), (.hostData, 0x0C0), (.familyID, 0x010), (.imageID, 0x020),
        (.idKeyDigest, 0x0E0), (.authorKeyDigest, 0x110),
    ])
    func expectedBytes(field: ReportBytesField, offset: Int) throws {
        let value = pattern(field.byteCount)
        let patched = try Fixture.goSEVGuest.report { $0.set(value, at: offset) }
        let original = try Fixture.goSEVGuest.report()
        #expect(ExpectedBytes(field, value).evaluate(patched).isEmpty)
        let violations = ExpectedBytes(field, value).evaluate(original)
        #expect(violations.count == 1)
        #expect(violations.first?.check.rawValue == field.rawValue)
        #expect(violations.first?.field.offset == offset)
        #expect(violations.first?.expected == hex(value))
        #expect(violations.first?.actual == hex(Array(try Fixture.goSEVGuest.bytes()[offset..<offset + field.byteCount])))
    }

    @Test func expectedReportDataOnTheRealReport() throws {
        let report = try Fixture.goSEVGuest.report()
        #expect(ExpectedBytes(.reportData, bytes(hex: Known.goSEVGuestReportData)).evaluate(report).isEmpty)
        #expect(ExpectedBytes(.reportData, [UInt8](repeating: 0, count: 64)).evaluate(report) == [PolicyViolation(
            check: .reportData, field: .reportData, expected: String(repeating: "00", count: 64),
            actual: Known.goSEVGuestReportData, reason: "REPORT_DATA does not hold the expected value")])
    }

    @Test func minimumGuestSVN() throws {
        let report = try Fixture.trustee.report()
        #expect(MinimumGuestSVN(4).evaluate(report).isEmpty)
        #expect(MinimumGuestSVN(5).evaluate(report) == [PolicyViolation(
            check: .minimumGuestSVN, field: .guestSVN, expected: ">= 5", actual: "4",
            reason: "the guest's security version is below the minimum")])
    }

    @Test(arguments: [
        (FirmwareVersion(major: 1, minor: 49, build: 3), true), (FirmwareVersion(major: 1, minor: 48, build: 255), true),
        (FirmwareVersion(major: 0, minor: 99, build: 99), true), (FirmwareVersion(major: 1, minor: 49, build: 4), false),
        (FirmwareVersion(major: 1, minor: 50, build: 0), false), (FirmwareVersion(major: 2, minor: 0, build: 0), false),
    ])
    func minimumFirmware(minimum: FirmwareVersion, passes: Bool) throws {
        let violations = MinimumFirmware(minimum).evaluate(try Fixture.goSEVGuest.report())
        #expect(violations == (passes ? [] : [PolicyViolation(
            check: .minimumFirmware, field: .currentFirmware, expected: ">= \(minimum)", actual: "1.49.3",
            reason: "the AMD-SP firmware is older than the minimum")]))
    }

    @Test func minimumABI() throws {
        // trustee's POLICY is 0x3001f: ABI 0.31.
        let report = try Fixture.trustee.report()
        #expect(MinimumABI(ABIVersion(major: 0, minor: 31)).evaluate(report).isEmpty)
        #expect(MinimumABI(ABIVersion(major: 0, minor: 32)).evaluate(report).map { [$0.expected, $0.actual] }
            == [[">= 0.32", "0.31"]])
        let raised = try Fixture.trustee.report { $0.set(UInt8(1), at: 0x009) }
        #expect(MinimumABI(ABIVersion(major: 1, minor: 0)).evaluate(raised).isEmpty)
        #expect(MinimumABI(ABIVersion(major: 1, minor: 0)).evaluate(report) == [PolicyViolation(
            check: .minimumABI, field: .policyABI, expected: ">= 1.0", actual: "0.31",
            reason: "the guest policy's minimum firmware ABI is below the required one")])
    }

    @Test func platformInfoRequirements() throws {
        // go-sev-guest: PLATFORM_INFO 0x1 (SMT_EN only). trustee VLEK: 0x27 (SMT, TSME, ECC, alias check).
        let report = try Fixture.goSEVGuest.report()
        let policy = PlatformInfoRequirements([.smtEnabled: .forbid, .tsmeEnabled: .require, .eccEnabled: .forbid])
        #expect(policy.evaluate(report) == [
            PolicyViolation(
                check: .platformInfo, field: ReportField(name: "PLATFORM_INFO.SMT_EN", offset: 0x040, bit: 0),
                expected: "0", actual: "1", reason: "the platform runs with SMT_EN set"),
            PolicyViolation(
                check: .platformInfo, field: ReportField(name: "PLATFORM_INFO.TSME_EN", offset: 0x040, bit: 1),
                expected: "1", actual: "0", reason: "the platform runs with TSME_EN clear"),
        ])
        let vlek = try Fixture.trusteeVLEK.report()
        #expect(PlatformInfoRequirements([.tsmeEnabled: .require, .aliasCheckComplete: .require]).evaluate(vlek).isEmpty)
        let hiding = PlatformInfoRequirements([.ciphertextHidingEnabled: .require])
        #expect(hiding.evaluate(vlek).map(\.field.name) == ["PLATFORM_INFO.CIPHERTEXT_HIDING_EN"])
        #expect(hiding.evaluate(try Fixture.trusteeVLEK.report { $0.set(UInt64(0x37), at: 0x040) }).isEmpty)
    }

    @Test(arguments: PlatformInfoFlag.allCases)
    func everyPlatformInfoFlagReadsItsBit(flag: PlatformInfoFlag) throws {
        let set = try Fixture.goSEVGuest.report { $0.set(UInt64(1) << UInt64(flag.bit), at: 0x040) }
        let clear = try Fixture.goSEVGuest.report { $0.set(UInt64(0), at: 0x040) }
        #expect(PlatformInfoRequirements([flag: .require]).evaluate(set).isEmpty)
        #expect(PlatformInfoRequirements([flag: .forbid]).evaluate(clear).isEmpty)
        #expect(PlatformInfoRequirements([flag: .require]).evaluate(clear).map(\.field.bit) == [flag.bit])
        #expect(PlatformInfoRequirements([flag: .forbid]).evaluate(set).map(\.field.bit) == [flag.bit])
    }
}
