import GuestGuardConfig
import SNPPolicy
import Testing

/// Every way a policy file is rejected, with the exact message (file, line, column, key, reason).
@Suite struct PolicyFileErrorTests {
    static let measurement = Known.goSEVGuestMeasurement

    /// A valid policy with `extra` lines added to `[report]`, then `tail`.
    static func policy(report extra: String = "", tail: String = "") -> String {
        "version = 1\n[report]\nmeasurements = [\"\(measurement)\"]\n" + extra + "\n" + tail
    }

    private func message(_ text: String) -> String? {
        do {
            _ = try SNPVerificationPolicy(parsing: text, fileName: "policy.toml")
            return nil
        } catch {
            return error.description
        }
    }

    @Test func theBaseDocumentIsValid() {
        #expect(message(Self.policy()) == nil)
    }

    @Test(arguments: [
        // Version
        ("[report]\nmeasurements = []", #"policy.toml:1:1: key "version": required key is missing"#),
        ("version = \"1\"", #"policy.toml:1:11: key "version": expected an integer, found string"#),
        ("version = 2\n[report]\nfuture-key = 1", #"policy.toml:1:11: key "version": unsupported policy version 2 (this build reads version 1)"#),
        // Structure
        ("version = 1", #"policy.toml:1:1: key "report": required key is missing"#),
        ("version = 1\nreport = 1", #"policy.toml:2:10: key "report": expected a table, found integer"#),
        ("version = 1\ncolour = 1\n[report]", #"policy.toml:2:1: key "colour": unknown key (known keys: version, report, trust, tpm)"#),
        ("version = 1\n[report]\n", #"policy.toml:2:1: key "report.measurements": required key is missing"#),
        ("version = 1\n[report]\nmeasurements = [\"\(measurement)\"]\nmeasurements = []", #"policy.toml:4:1: key "report.measurements": duplicate key (first defined at line 3)"#),
        ("version = 1\n[report\n", #"policy.toml:2:8: key "report": expected "]", found end of line"#),
    ])
    func fileLevelErrors(text: String, expected: String) {
        #expect(message(text) == expected)
    }

    @Test(arguments: [
        ("debug = \"maybe\"", #"policy.toml:4:9: key "report.debug": expected one of "allow", "forbid", found "maybe""#),
        ("debug = true", #"policy.toml:4:9: key "report.debug": expected a string, found boolean"#),
        ("smt = \"Forbid\"", #"policy.toml:4:7: key "report.smt": expected one of "allow", "forbid", found "Forbid""#),
        ("migration-agent = 0", #"policy.toml:4:19: key "report.migration-agent": expected a string, found integer"#),
        ("single-socket = \"yes\"", #"policy.toml:4:17: key "report.single-socket": expected one of "require", "optional", found "yes""#),
        ("vmpl = [4]", #"policy.toml:4:9: key "report.vmpl[0]": expected an integer 0...3, found 4"#),
        ("vmpl = 0", #"policy.toml:4:8: key "report.vmpl": expected an array, found integer"#),
        ("vmpl = []", #"policy.toml:4:8: key "report.vmpl": expected at least one entry, found an array of 0 elements"#),
        ("vmpl = [0, 1, 0]", #"policy.toml:4:15: key "report.vmpl[2]": expected a value not listed before, found 0"#),
        ("minimum-guest-svn = -1", #"policy.toml:4:21: key "report.minimum-guest-svn": expected an integer 0...4294967295, found -1"#),
        ("minimum-firmware = \"1.55.0.1\"", #"policy.toml:4:20: key "report.minimum-firmware": expected a firmware version "MAJOR.MINOR.BUILD" (each 0...255), found "1.55.0.1""#),
        ("minimum-firmware = \"1.256.0\"", #"policy.toml:4:20: key "report.minimum-firmware": expected a firmware version "MAJOR.MINOR.BUILD" (each 0...255), found "1.256.0""#),
        ("minimum-firmware = \"1.+5\"", #"policy.toml:4:20: key "report.minimum-firmware": expected a firmware version "MAJOR.MINOR.BUILD" (each 0...255), found "1.+5""#),
        ("minimum-firmware = 155", #"policy.toml:4:20: key "report.minimum-firmware": expected a string, found integer"#),
        ("minimum-abi = \"1.51.0\"", #"policy.toml:4:15: key "report.minimum-abi": expected an ABI version "MAJOR.MINOR" (each 0...255), found "1.51.0""#),
        ("host-data = \"abcd\"", #"policy.toml:4:13: key "report.host-data": expected 64 hex digits (32 bytes), found "abcd""#),
        ("family-id = \"\(String(repeating: "g", count: 32))\"", #"policy.toml:4:13: key "report.family-id": expected 32 hex digits (16 bytes), found "gggggggggggggggggggggggggggggggg""#),
        ("report-data = \"\(String(repeating: "0", count: 130))\"", #"policy.toml:4:15: key "report.report-data": expected 128 hex digits (64 bytes), found "0000000000000000000000000000000000000000…""#),
        ("measurement = []", #"policy.toml:4:1: key "report.measurement": unknown key (known keys: measurements, debug, migration-agent, smt, single-socket, vmpl, minimum-guest-svn, minimum-firmware, minimum-abi, minimum-tcb, platform-info, report-data, host-data, family-id, image-id, id-key-digest, author-key-digest)"#),
    ])
    func reportKeyErrors(line: String, expected: String) {
        #expect(message(Self.policy(report: line)) == expected)
    }

    @Test(arguments: [
        ("version = 1\n[report]\nmeasurements = []", #"policy.toml:3:16: key "report.measurements": expected at least one entry, found an array of 0 elements"#),
        ("version = 1\n[report]\nmeasurements = \"\(measurement)\"", #"policy.toml:3:16: key "report.measurements": expected an array, found string"#),
        ("version = 1\n[report]\nmeasurements = [\n  \"\(measurement)\",\n  \"abc\",\n]", #"policy.toml:5:3: key "report.measurements[1]": expected 96 hex digits (48 bytes), found "abc""#),
        ("version = 1\n[report]\nmeasurements = [\"\(measurement)\", \"\(measurement.uppercased())\"]", #"policy.toml:3:117: key "report.measurements[1]": expected a value not listed before, found "B07AF9620F3B839B47996422DDEC6058338951D9…""#),
    ])
    func measurementErrors(text: String, expected: String) {
        #expect(message(text) == expected)
    }

    @Test(arguments: [
        ("[report.minimum-tcb]\nsnp = \"8\"", #"policy.toml:6:7: key "report.minimum-tcb.snp": expected an integer 0...255, found string"#),
        ("[report.minimum-tcb]\nsnp = 256", #"policy.toml:6:7: key "report.minimum-tcb.snp": expected an integer 0...255, found 256"#),
        ("[report.minimum-tcb]\nucode = 1", #"policy.toml:6:1: key "report.minimum-tcb.ucode": unknown key (known keys: applies-to, bootloader, tee, snp, microcode, fmc)"#),
        ("[report.minimum-tcb]\napplies-to = [\"current\"]", #"policy.toml:6:14: key "report.minimum-tcb.applies-to": expected a list that includes "reported", found an array of 1 element"#),
        ("[report.minimum-tcb]\napplies-to = [\"reported\", \"future\"]", #"policy.toml:6:27: key "report.minimum-tcb.applies-to[1]": expected one of "reported", "current", "committed", "launch", found "future""#),
        ("[report.minimum-tcb]\napplies-to = []", #"policy.toml:6:14: key "report.minimum-tcb.applies-to": expected at least one entry, found an array of 0 elements"#),
        ("[report.platform-info]\ntsme = \"require\"", #"policy.toml:6:1: key "report.platform-info.tsme": unknown key (known keys: smt-enabled, tsme-enabled, ecc-enabled, rapl-disabled, ciphertext-hiding-enabled, alias-check-complete, tio-enabled)"#),
        ("[report.platform-info]\ntsme-enabled = true", #"policy.toml:6:16: key "report.platform-info.tsme-enabled": expected a string, found boolean"#),
        ("[report.platform-info]\ntsme-enabled = \"allow\"", #"policy.toml:6:16: key "report.platform-info.tsme-enabled": expected one of "require", "forbid", found "allow""#),
        ("[trust]\nroots = \"amd-milan\"", #"policy.toml:6:9: key "trust.roots": expected "amd" or the absolute path of an ARK PEM file, found "amd-milan""#),
        ("[trust]\nroots = [\"amd\", \"ark.pem\"]", #"policy.toml:6:17: key "trust.roots[1]": expected "amd" or the absolute path of an ARK PEM file, found "ark.pem""#),
        ("[trust]\nroots = [\"amd\", \"amd\"]", #"policy.toml:6:17: key "trust.roots[1]": expected a value not listed before, found "amd""#),
        ("[trust]\nroots = []", #"policy.toml:6:9: key "trust.roots": expected at least one trusted root, found an array of 0 elements"#),
        ("[trust]\nroots = 1", #"policy.toml:6:9: key "trust.roots": expected an array, found integer"#),
        ("[trust]\nark-fingerprints = [\"abcd\"]", #"policy.toml:6:21: key "trust.ark-fingerprints[0]": expected a SHA-256 fingerprint (64 hex digits, optionally colon-separated), found "abcd""#),
        ("[trust]\nark-fingerprints = [\"69:d0:63\"]", #"policy.toml:6:21: key "trust.ark-fingerprints[0]": expected a SHA-256 fingerprint (64 hex digits, optionally colon-separated), found "69:d0:63""#),
        ("[trust]\nroot = \"amd\"", #"policy.toml:6:1: key "trust.root": unknown key (known keys: roots, ark-fingerprints)"#),
        ("[trust]\nroots = \"amd\"\n[trust.extra]", #"policy.toml:7:8: key "trust.extra": unknown key (known keys: roots, ark-fingerprints)"#),
    ])
    func sectionErrors(tail: String, expected: String) {
        #expect(message(Self.policy(tail: tail)) == expected)
    }

    @Test func errorsAreTypedAndCarryTheirLocation() {
        #expect(throws: PolicyFileError.unsupportedVersion(
            7, location: SourceLocation(fileName: "p.toml", line: 1, column: 11)
        )) {
            try SNPVerificationPolicy(parsing: "version = 7", fileName: "p.toml")
        }
        #expect {
            try SNPVerificationPolicy(parsing: Self.policy(report: "vmpl = [9]"), fileName: "p.toml")
        } throws: { error in
            guard case .invalidFile(let configError) = error as? PolicyFileError else { return false }
            return configError.location.line == 4 && configError.keyPath.description == "report.vmpl[0]"
                && configError.reason == .integerOutOfRange(9, expected: "an integer 0...3")
        }
    }
}
