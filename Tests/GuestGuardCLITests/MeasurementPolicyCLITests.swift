import Foundation
import Testing

/// Issue 13, part 4: labelled allowed measurements. `guestguard measure --json` feeds
/// `policy allow-measurement`; each change is audited; the release names the label that matched;
/// a revoked measurement gets no key; the last one cannot be revoked.
@Suite(.serialized) struct MeasurementPolicyCLITests {
    static let firmware = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SNPMeasureTests/Fixtures/ovmf_AmdSev_suffix.bin").path

    func runBroker(_ arguments: [String]) throws -> CLIRunner.Outcome { try CLIRunner.run(arguments, executable: BrokerProcess.executable) }

    func lines(_ path: String, containing text: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init).filter { $0.contains(text) }
    }

    @Test func aKernelUpdateWithoutLosingTheKey() throws {
        let dir = NSTemporaryDirectory() + "guestguard-measurement-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let data = dir + "/data", audit = dir + "/audit.log", resource = "default/disk/root"
        #expect(try CLIRunner.run(["simulator", "init", dir + "/sim"]).status == 0)
        let old = try #require(try String(contentsOfFile: dir + "/sim/simulator.toml", encoding: .utf8)
            .split(separator: "\n").first { $0.hasPrefix("measurement = ") }).split(separator: "\"")[1]
        try Data((0..<64).map { UInt8($0) }).write(to: URL(fileURLWithPath: dir + "/disk.key"))
        #expect(try runBroker(["key", "import", resource, dir + "/disk.key", "--data", data]).status == 0)
        #expect(try runBroker(["policy", "set", resource, dir + "/sim/policy.toml", "--data", data]).status == 0)

        // Compute: the next launch's value, as JSON.
        try Data("new kernel".utf8).write(to: URL(fileURLWithPath: dir + "/vmlinuz"))
        let measured = try CLIRunner.run(["measure", "--mode", "snp", "--vcpus", "2", "--vcpu-type", "EPYC-v4", "--ovmf", Self.firmware,
                                          "--kernel", dir + "/vmlinuz", "--append", "ro", "--json"])
        #expect(measured.status == 0, "\(measured.stderr)")
        try measured.stdout.write(toFile: dir + "/new.json", atomically: true, encoding: .utf8)
        let new = try #require((try JSONSerialization.jsonObject(with: Data(measured.stdout.utf8)) as? [String: Any])?["measurement"] as? String)

        // Allow it (from the JSON) and label the running one; both audited.
        let allowed = try runBroker(["policy", "allow-measurement", resource, "--from-json", dir + "/new.json", "--label", "kernel new",
                                     "--audit", audit, "--data", data])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(allowed.stdout.contains("allowed measurements for \(resource): 2"))
        let relabelled = try runBroker(["policy", "allow-measurement", resource, String(old), "--label", "kernel old", "--audit", audit, "--data", data])
        #expect(relabelled.status == 0, "\(relabelled.stderr)")
        let changes = try lines(audit, containing: "\"decision\":\"policy\"")
        #expect(changes.count == 2)
        #expect(changes.first?.contains("\"measurement\":\"\(new)\"") == true && changes.first?.contains("\"measurementLabel\":\"kernel new\"") == true)
        #expect(changes.first?.contains("\"reasons\":[\"measurement allowed\"]") == true)
        #expect(changes.last?.contains("\"measurementLabel\":\"kernel old\"") == true && changes.last?.contains("measurement relabelled") == true)
        let shown = try runBroker(["policy", "show", resource, "--data", data])
        #expect(shown.stdout.contains("{ value = \"\(new)\", label = \"kernel new\" }"), "\(shown.stdout)")

        // The running guest (the old measurement) still gets its key, and the audit names the label.
        func fetch() throws -> (CLIRunner.Outcome, String) {
            let broker = try BrokerProcess(data: data, extra: ["--audit", audit])
            let fetched = try CLIRunner.run(["get-resource"] + broker.trust + ["--resource", resource, "--simulator", dir + "/sim", "--out", dir + "/fetched.key"])
            return (fetched, broker.stop())
        }
        let (first, output) = try fetch()
        #expect(first.status == 0, "\(first.stderr)\n\(output)")
        let releases = try lines(audit, containing: "\"decision\":\"release\"")
        #expect(releases.count == 1 && releases[0].contains("\"measurementLabel\":\"kernel old\""), "\(releases)")

        // Revoke the old one: the same guest is refused, and the refusal names what is allowed.
        let revoked = try runBroker(["policy", "revoke-measurement", resource, String(old), "--audit", audit, "--data", data])
        #expect(revoked.status == 0, "\(revoked.stderr)")
        #expect(try lines(audit, containing: "measurement revoked").first?.contains("\"measurementLabel\":\"kernel old\"") == true)
        let (second, _) = try fetch()
        #expect(second.status != 0)
        let refusals = try lines(audit, containing: "\"decision\":\"refusal\"")
        #expect(refusals.contains { $0.contains("measurements") && $0.contains("\(new) (kernel new)") }, "\(refusals)")
        #expect(try lines(audit, containing: "\"decision\":\"release\"").count == 1)

        // The last allowed measurement stays; a label with a newline is refused.
        let last = try runBroker(["policy", "revoke-measurement", resource, new, "--data", data])
        #expect(last.status != 0 && last.stderr.contains("only allowed measurement"), "\(last.stderr)")
        let control = try runBroker(["policy", "allow-measurement", resource, String(old), "--label", "a\nb", "--data", data])
        #expect(control.status != 0 && control.stderr.contains("control characters"), "\(control.stderr)")
    }
}
