import Foundation
import GuestGuardConfig
import SNPABI
import SNPPolicy
import Testing

@Suite struct PolicyFileTests {
    static let ark = "69d063b45344d26a2e94e1f4210de49ef555308287d4c174445c95639a540bcd"

    static let fullText = """
        # A tenant policy using every key.
        version = 1

        [report]
        measurements = [
            "\(Known.goSEVGuestMeasurement)",
            "\(Known.trusteeMeasurement.uppercased())",
        ]
        debug = "allow"
        migration-agent = "forbid"
        smt = "forbid"
        single-socket = "require"
        vmpl = [0, 1]
        minimum-guest-svn = 2
        minimum-firmware = "1.55"
        minimum-abi = "1.51"
        report-data = "\(Known.goSEVGuestReportData)"
        host-data = "\(hex(pattern(32)))"
        family-id = "\(hex(pattern(16)))"
        image-id = "\(hex(pattern(16)))"
        id-key-digest = "\(hex(pattern(48)))"
        author-key-digest = "\(hex(pattern(48)))"

        [report.minimum-tcb]
        applies-to = ["reported", "launch"]
        bootloader = 3
        tee = 0
        snp = 8
        microcode = 218
        fmc = 1

        [report.platform-info]
        tsme-enabled = "require"
        smt-enabled = "forbid"

        [trust]
        roots = ["/etc/guestguard/simulated-ark.pem", "amd"]
        ark-fingerprints = [
            "\(ark.uppercased().enumerated().map { ($0.offset > 0 && $0.offset % 2 == 0 ? ":" : "") + String($0.element) }.joined())",
            "\(hex(pattern(32)))",
        ]
        """

    static var fullPolicy: SNPVerificationPolicy {
        SNPVerificationPolicy(
            report: ReportRequirements(
                measurements: [bytes(hex: Known.goSEVGuestMeasurement), bytes(hex: Known.trusteeMeasurement)],
                debug: .allow, migrationAgent: .forbid, smt: .forbid, requireSingleSocket: true, vmpls: [0, 1],
                minimumGuestSVN: 2, minimumFirmware: FirmwareVersion(major: 1, minor: 55, build: 0),
                minimumABI: ABIVersion(major: 1, minor: 51),
                minimumTCB: MinimumTCB(bootLoader: 3, tee: 0, snp: 8, microcode: 218, fmc: 1, fields: [.reported, .launch]),
                platformInfo: [.tsmeEnabled: .require, .smtEnabled: .forbid],
                expectedBytes: [
                    .reportData: bytes(hex: Known.goSEVGuestReportData), .hostData: pattern(32), .familyID: pattern(16),
                    .imageID: pattern(16), .idKeyDigest: pattern(48), .authorKeyDigest: pattern(48),
                ]),
            trust: TrustPolicy(
                includesAMDRoots: true, arkCertificatePaths: ["/etc/guestguard/simulated-ark.pem"],
                arkFingerprints: [bytes(hex: ark), pattern(32)]))
    }

    static let minimalText = """
        version = 1
        [report]
        measurements = ["\(Known.goSEVGuestMeasurement)"]
        """

    @Test func readsEveryKey() throws {
        #expect(try SNPVerificationPolicy(parsing: Self.fullText, fileName: "policy.toml") == Self.fullPolicy)
    }

    @Test func absentKeysTakeTheFailClosedDefaults() throws {
        let policy = try SNPVerificationPolicy(parsing: Self.minimalText, fileName: "policy.toml")
        #expect(policy == SNPVerificationPolicy(
            report: ReportRequirements(measurements: [bytes(hex: Known.goSEVGuestMeasurement)]), trust: .amdOnly))
        #expect(policy.report.debug == .forbid)
        #expect(policy.report.migrationAgent == .forbid)
        #expect(policy.report.smt == .allow)
        #expect(policy.report.vmpls == [0])
        #expect(policy.trust == TrustPolicy(includesAMDRoots: true))
        let tcb = try SNPVerificationPolicy(
            parsing: Self.minimalText + "\n[report.minimum-tcb]\nsnp = 8", fileName: "policy.toml")
        #expect(tcb.report.minimumTCB == MinimumTCB(snp: 8, fields: [.reported]))
    }

    @Test func trustVariants() throws {
        func trust(_ section: String) throws -> TrustPolicy {
            try SNPVerificationPolicy(parsing: Self.minimalText + "\n[trust]\n" + section, fileName: "p.toml").trust
        }
        #expect(try trust("") == .amdOnly)
        #expect(try trust("roots = \"amd\"") == .amdOnly)
        #expect(try trust("roots = \"/ark.pem\"") == TrustPolicy(includesAMDRoots: false, arkCertificatePaths: ["/ark.pem"]))
        #expect(try trust("roots = []\nark-fingerprints = [\"\(Self.ark)\"]")
            == TrustPolicy(includesAMDRoots: false, arkFingerprints: [bytes(hex: Self.ark)]))
        #expect(try trust("ark-fingerprints = [\"\(Self.ark)\"]")
            == TrustPolicy(includesAMDRoots: true, arkFingerprints: [bytes(hex: Self.ark)]))
    }

    @Test(arguments: [
        fullPolicy,
        SNPVerificationPolicy(report: ReportRequirements(measurements: [pattern(48)])),
        SNPVerificationPolicy(
            report: ReportRequirements(
                measurements: [pattern(48), [UInt8](repeating: 0xAB, count: 48)], smt: .forbid, vmpls: [3, 1],
                minimumTCB: MinimumTCB([:], fields: [.committed, .reported]),
                platformInfo: [.ciphertextHidingEnabled: .require, .tioEnabled: .forbid, .raplDisabled: .require]),
            trust: TrustPolicy(includesAMDRoots: false, arkFingerprints: [pattern(32)])),
        SNPVerificationPolicy(
            report: ReportRequirements(measurements: [pattern(48)], minimumFirmware: FirmwareVersion(major: 255, minor: 0, build: 7)),
            trust: TrustPolicy(includesAMDRoots: false, arkCertificatePaths: ["/a b/\"quoted\".pem", "/ключ.pem"])),
    ])
    func renderedTextReadsBackToTheSamePolicy(_ policy: SNPVerificationPolicy) throws {
        let text = policy.tomlText()
        #expect(try SNPVerificationPolicy(parsing: text, fileName: "shown.toml") == policy)
        // Rendering is stable: the re-read policy renders to the same text.
        #expect(try SNPVerificationPolicy(parsing: text, fileName: "shown.toml").tomlText() == text)
    }

    @Test func renderedTextShowsEveryEffectiveSetting() throws {
        let policy = try SNPVerificationPolicy(
            parsing: Self.minimalText + "\n[report.minimum-tcb]\nsnp = 8\nbootloader = 3\n[report.platform-info]\ntsme-enabled = \"require\"",
            fileName: "policy.toml")
        #expect(policy.tomlText() == """
            # guestguard SNP verification policy (format: docs/policy.md)
            version = 1

            [report]
            measurements = [
                "\(Known.goSEVGuestMeasurement)",
            ]
            debug = "forbid"
            migration-agent = "forbid"
            smt = "allow"
            single-socket = "optional"
            vmpl = [0]
            minimum-guest-svn = 0

            [report.minimum-tcb]
            applies-to = ["reported"]
            bootloader = 3
            snp = 8

            [report.platform-info]
            tsme-enabled = "require"

            [trust]
            roots = "amd"

            """)
    }

    @Test func theFullPolicyBuildsEveryCheck() throws {
        // trustee VLEK: POLICY 0x30000 (SMT, ABI 0.0), GUEST_SVN 0, VMPL 1, PLATFORM_INFO 0x27 (SMT_EN set),
        // microcode reported 217 / launch 219, Milan (no FMC level).
        let violations = Self.fullPolicy.reportPolicy.evaluate(try Fixture.trusteeVLEK.report())
        #expect(violations.map(\.check) == [
            .measurement, .smt, .singleSocket, .minimumGuestSVN, .minimumABI, .minimumTCB, .platformInfo,
            .reportData, .hostData, .familyID, .imageID, .idKeyDigest, .authorKeyDigest,
        ])
        #expect(violations.first { $0.check == .minimumTCB }?.field.name == "REPORTED_TCB.MICROCODE")
        #expect(violations.first { $0.check == .platformInfo }?.field.name == "PLATFORM_INFO.SMT_EN")
    }

    @Test func parsedPolicyEvaluatesRealReports() throws {
        let text = """
            version = 1
            [report]
            measurements = ["\(Known.goSEVGuestMeasurement)"]
            smt = "allow"
            [report.minimum-tcb]
            bootloader = 2
            snp = 5
            microcode = 68
            """
        let policy = try SNPVerificationPolicy(parsing: text, fileName: "policy.toml")
        let report = try Fixture.goSEVGuest.report()
        // The only problem with go-sev-guest's report under this policy is its DEBUG bit.
        #expect(policy.reportPolicy.check(report).violations.map(\.check) == [.debug])
        let allowDebug = try SNPVerificationPolicy(
            parsing: text.replacingOccurrences(of: "smt = \"allow\"", with: "debug = \"allow\""), fileName: "policy.toml")
        #expect(allowDebug.reportPolicy.check(report).isSatisfied)
        #expect(allowDebug.reportPolicy.check(try Fixture.trustee.report()).violations.map(\.check) == [.measurement])
    }
}
