import GuestGuardCore
import GuestGuardDetection
import GuestGuardPosture
import SNPABI
import GuestGuardPlatform
import GuestGuardTestSupport
import Testing

/// The vTPM posture items over fake sysfs trees (real `HostFileSystem` reads).
@Suite struct TpmPostureItemTests {
    /// The context reads `tree` by path: keep `tree` alive while it is used.
    static func context(_ tree: TemporaryFileTree, svsm: Bool?) -> PostureContext {
        PostureContext(files: tree.fileSystem, detection: DetectionReport(
            mode: .sevSNP, basis: nil, decidingSource: nil, vTOM: false, svsm: svsm, otherTEE: nil, inconsistencies: [], notes: [], readings: []))
    }

    static func tpmTree(driver: String) -> TemporaryFileTree {
        let tree = TemporaryFileTree(prefix: "guestguard-tpm-posture")
        tree.write("/sys/class/tpm/tpm0/tpm_version_major", "2\n")
        tree.write("/sys/bus/platform/drivers/\(driver)/bind", "")
        tree.symlink("/sys/class/tpm/tpm0/device/driver", to: tree.root + "/sys/bus/platform/drivers/\(driver)")
        return tree
    }

    @Test func noTPMIsFine() {
        let tree = TemporaryFileTree(prefix: "guestguard-tpm-posture")
        #expect(TpmPresenceItem().evaluate(Self.context(tree, svsm: nil)).state == .ok)
        #expect(TpmKindItem().evaluate(Self.context(tree, svsm: nil)).details["kind"] == .string("none"))
        #expect(TpmPCRItem().evaluate(Self.context(tree, svsm: nil)).state == .ok)
    }

    @Test func aTPM2IsPresent() {
        let tree = Self.tpmTree(driver: "tpm_tis")
        defer { withExtendedLifetime(tree) {} }
        let finding = TpmPresenceItem().evaluate(Self.context(tree, svsm: false))
        #expect(finding.state == .ok)
        #expect(finding.reason.contains("TPM 2.0"))
    }

    @Test(arguments: [
        ("tpm-svsm", true as Bool?, PostureState.ok, "svsm"),
        ("tpm-svsm", false, .fail, "hypervisor"),
        ("tpm-svsm", nil, .fail, "hypervisor"),
        ("tpm_tis", false, .warn, "hypervisor"),
        ("tpm_crb", true, .warn, "hypervisor"),
    ])
    func kindFollowsTheDriverAndTheSVSMSignal(driver: String, svsm: Bool?, state: PostureState, kind: String) {
        let tree = Self.tpmTree(driver: driver)
        defer { withExtendedLifetime(tree) {} }
        let finding = TpmKindItem(properties: TPMProperties(manufacturer: "IBM ", vendorString: "SW   TPM", firmwareVersion: (1, 2)))
            .evaluate(Self.context(tree, svsm: svsm))
        #expect(finding.state == state, "\(finding.reason)")
        #expect(finding.details["kind"] == .string(kind))
        #expect(finding.details["manufacturer"] == .string("IBM "))
        if state == .warn { #expect(finding.reason.contains("never to seal keys")) }
    }

    @Test func pcrValuesComeFromSysfsAndPCR15ShowsTheUnlock() {
        let tree = Self.tpmTree(driver: "tpm_tis")
        for index in 0..<24 { tree.write("/sys/class/tpm/tpm0/pcr-sha256/\(index)", String(repeating: "0", count: 64) + "\n") }
        #expect(TpmPCRItem().evaluate(Self.context(tree, svsm: false)).reason.contains("no unlock measured"))
        tree.write("/sys/class/tpm/tpm0/pcr-sha256/15", String(repeating: "A1", count: 32) + "\n")
        tree.write("/run/guestguard/unlock-measurement.json", "{\"pcr\":15}\n")
        let finding = TpmPCRItem().evaluate(Self.context(tree, svsm: false))
        #expect(finding.state == .ok)
        #expect(finding.reason.contains("PCR 15 = a1a1"))
        #expect(finding.reason.contains("1 unlock event"))
        guard case .object(let pcrs)? = finding.details["pcrs"] else {
            Issue.record("no pcrs detail")
            return
        }
        #expect(pcrs.count == 24)
    }

    @Test func missingPCRBankIsUnknown() {
        let tree = Self.tpmTree(driver: "tpm_tis")
        defer { withExtendedLifetime(tree) {} }
        #expect(TpmPCRItem().evaluate(Self.context(tree, svsm: false)).state == .unknown)
    }
}
