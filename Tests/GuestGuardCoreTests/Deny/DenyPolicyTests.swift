import GuestGuardConfig
import GuestGuardCore
import GuestGuardPosture
import Testing

/// The policy file: defaults from channels.md §10, overrides, and errors that name file:line:key.
@Suite struct DenyPolicyTests {
    @Test func defaultsFollowChannelsSection10() throws {
        let policy = DenyPolicy.standard
        func mode(_ id: String) throws -> DenyMode { policy.mode(for: try #require(PostureCatalog.all.first { $0.id == id })) }
        #expect(try mode("qemu-guest-agent") == .enforce)
        #expect(try mode("sysrq") == .enforce)
        #expect(try mode("keyboard-input") == .report)
        #expect(try mode("ssh-authorized-keys-command") == .report)
        #expect(try mode("swap-encryption") == .require)
        #expect(try mode("kernel-cmdline") == .require)
        #expect(try mode("memory-encryption") == .require)
        #expect(policy.intervalSeconds == 60)
        // Every P-number of §10 is covered exactly once.
        let channels = PostureCatalog.all.compactMap(\.channel)
        #expect(channels.sorted() == (1...32).map { $0 < 10 ? "P0\($0)" : "P\($0)" })
    }

    @Test func overridesAndInterval() throws {
        let policy = try DenyPolicy(parsing: """
            # keep KVP for Azure provisioning
            [items]
            hyperv-kvp = "off"
            ssh-authorized-keys-command = "enforce"
            kernel-consoles = "require"

            [watch]
            interval-seconds = 5
            """, fileName: "policy.toml")
        #expect(policy.modes == ["hyperv-kvp": .off, "ssh-authorized-keys-command": .enforce, "kernel-consoles": .require])
        #expect(policy.intervalSeconds == 5)
        #expect(!policy.enforced(PostureCatalog.all).contains { $0.id == "hyperv-kvp" })
    }

    @Test(arguments: [
        ("[items]\nbogus = \"off\"\n", "policy.toml:2:1: key \"items.bogus\": unknown key"),
        ("[items]\nsysrq = \"deny\"\n", "policy.toml:2:9: key \"items.sysrq\": expected one of"),
        ("[items]\nswap-encryption = \"enforce\"\n", "policy.toml:2:19: key \"items.swap-encryption\": expected \"require\", \"report\" or \"off\" (swap-encryption has no enforce action)"),
        ("[watch]\ninterval-seconds = 0\n", "policy.toml:2:20: key \"watch.interval-seconds\""),
        ("[itemz]\n", "policy.toml:1:2: key \"itemz\": unknown key"),
        ("[items]\nsysrq = 1\n", "policy.toml:2:9: key \"items.sysrq\": expected"),
    ])
    func errorsNameFileLineAndKey(text: String, message: String) {
        do {
            _ = try DenyPolicy(parsing: text, fileName: "policy.toml")
            Issue.record("accepted \(text)")
        } catch {
            #expect("\(error)".hasPrefix(message), "\(error)")
        }
    }
}

