import Foundation
import Testing

/// The running broker keeps the files it reads per handshake in memory while `stat` finds them
/// unchanged; `guestguard-broker key import --replace` and `policy set`, run as their own processes
/// against the same data directory, are seen by the very next handshake.
extension BrokerCLITests {
    func fetch(_ broker: BrokerProcess, dir: String, out: String) throws -> CLIRunner.Outcome {
        try CLIRunner.run(["get-resource"] + broker.trust + ["--resource", "default/disk/root", "--simulator", dir + "/sim",
                                                              "--attempts", "1", "--out", out])
    }

    @Test func keyAndPolicyChangesThroughTheCLIAreSeenByTheNextHandshake() throws {
        let (dir, key) = try setUp()
        let broker = try BrokerProcess(data: dir + "/data")
        defer { _ = broker.stop() }
        for attempt in 0..<2 {
            let fetched = try fetch(broker, dir: dir, out: dir + "/first-\(attempt).key")
            #expect(fetched.status == 0, "\(fetched.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/first-\(attempt).key")) == key)
        }

        let newKey = Data((0..<48).map { _ in UInt8.random(in: 0...255) })
        try newKey.write(to: URL(fileURLWithPath: dir + "/new.key"))
        let replaced = try runBroker(["key", "import", "default/disk/root", dir + "/new.key", "--replace", "--data", dir + "/data"])
        #expect(replaced.status == 0, "\(replaced.stderr)")
        let second = try fetch(broker, dir: dir, out: dir + "/second.key")
        #expect(second.status == 0, "\(second.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/second.key")) == newKey)

        // A policy that no longer allows the simulator's measurement: the next handshake is refused.
        let policy = try String(contentsOfFile: dir + "/sim/policy.toml", encoding: .utf8)
        let line = try #require(policy.split(separator: "\n").first { $0.hasPrefix("measurements = [") })
        try policy.replacingOccurrences(of: String(line), with: "measurements = [\"\(String(repeating: "ab", count: 48))\"]")
            .write(toFile: dir + "/refusing.toml", atomically: true, encoding: .utf8)
        let set = try runBroker(["policy", "set", "default/disk/root", dir + "/refusing.toml", "--data", dir + "/data"])
        #expect(set.status == 0, "\(set.stderr)")
        let refused = try fetch(broker, dir: dir, out: dir + "/refused.key")
        #expect(refused.status != 0, "released under a policy set after the broker read the old one")
        #expect(!FileManager.default.fileExists(atPath: dir + "/refused.key"))
    }
}
