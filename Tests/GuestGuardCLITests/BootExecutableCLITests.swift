import Foundation
import GuestGuardTestSupport
import Testing

/// `guestguard-boot` (the initramfs' executable) against `guestguard boot-unlock`: the same options, the
/// same configuration parser and the same run, and nothing of the multi-call binary.
@Suite struct BootExecutableCLITests {
    static var boot: URL { CLIRunner.executable.deletingLastPathComponent().appendingPathComponent("guestguard-boot") }

    func temporaryDirectory() throws -> String {
        TemporaryFileTree.shared.directory("boot-exe")
    }

    /// The `--option` names a help text lists.
    func optionNames(_ help: String) -> Set<String> {
        Set(help.split(whereSeparator: { " \n[]<>,=".contains($0) }).map(String.init).filter { $0.hasPrefix("--") })
    }

    @Test func helpListsTheOptionsOfGuestGuardBootUnlock() throws {
        let ours = try CLIRunner.run(["--help"], executable: Self.boot)
        let theirs = try CLIRunner.run(["boot-unlock", "--help"])
        #expect(ours.status == 0 && theirs.status == 0, "\(ours.stderr) \(theirs.stderr)")
        let expected = optionNames(theirs.stdout).subtracting(["--help", "--version"])
        #expect(expected.count == 7, "\(theirs.stdout)")
        #expect(optionNames(ours.stdout).subtracting(["--help", "--version"]) == expected, "\(ours.stdout)")
        // Nothing else of the multi-call binary answers.
        for subcommand in ["serve", "deny", "verify", "simulator", "status", "unlock"] {
            let other = try CLIRunner.run([subcommand, "--help"], executable: Self.boot)
            #expect(other.status == 64 && other.stderr.contains("unknown argument '\(subcommand)'"), "\(subcommand): \(other.stderr)")
        }
        let version = try CLIRunner.run(["--version"], executable: Self.boot)
        let multiCallVersion = try CLIRunner.run(["--version"])
        #expect(version.status == 0 && version.stdout == multiCallVersion.stdout)
    }

    @Test func listFilesMatchesGuestGuardBootUnlock() throws {
        let dir = try temporaryDirectory()
        let pin = String(repeating: "ab", count: 32)
        let volume = "[[volume]]\nuuid = \"0b9f1c3e-5d2a-4c1b-9e8f-7a6b5c4d3e2f\"\n"
        try "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n".write(toFile: dir + "/ca.pem", atomically: true, encoding: .utf8)
        let configurations = [
            "resource = \"a/b/c\"\nbrokers = [\"https://kbs:8443\"]\nbroker-pin = \"\(pin)\"\n" + volume,
            "resource = \"a/b/c\"\nbrokers = [\"https://kbs:8443\"]\nbroker-ca = \"\(dir)/ca.pem\"\n[test-only]\nsimulator = \"\(dir)/sim/\"\n" + volume,
            "resource = \"a/b/c\"\nbrokers = [\"http://10.0.2.2:8080\"]\n",
            "resource = \"a/b/c\"\nbrokers = [\"https://kbs:8443\"]\nbroker-pin = \"\(pin)\"\nretries = 3\n",
        ]
        var succeeded = 0
        for text in configurations {
            try text.write(toFile: dir + "/guestguard.toml", atomically: true, encoding: .utf8)
            let arguments = ["--list-files", "--config", dir + "/guestguard.toml"]
            let theirs = try CLIRunner.run(["boot-unlock"] + arguments)
            let plain = try CLIRunner.run(arguments, executable: Self.boot), named = try CLIRunner.run(["boot-unlock"] + arguments, executable: Self.boot)
            for ours in [plain, named] {
                #expect(ours.status == theirs.status && ours.stdout == theirs.stdout, "\(text)\n\(ours.stderr)\n\(theirs.stderr)")
                if theirs.status != 0 {
                    // The same parser's message: the file, line and key.
                    let location = theirs.stderr.split(separator: "\n").first { $0.contains("guestguard.toml:") }
                    #expect(location != nil && ours.stderr.contains(location!), "\(ours.stderr)\n\(theirs.stderr)")
                }
            }
            if theirs.status == 0 { succeeded += 1 }
        }
        #expect(succeeded == 2)
    }

    /// The tss2 libraries are dlopen()ed, so the hook learns from `--list-files` (a `tss2` line) whether to
    /// copy them: only with [tpm].
    @Test func listFilesNamesTheTPMLibrariesOnlyWithTPM() throws {
        let dir = try temporaryDirectory()
        let base = "resource = \"a/b/c\"\nbrokers = [\"https://kbs:8443\"]\nbroker-pin = \"\(String(repeating: "ab", count: 32))\"\n"
            + "[[volume]]\nuuid = \"0b9f1c3e-5d2a-4c1b-9e8f-7a6b5c4d3e2f\"\n"
        for (text, wantsTSS2) in [(base, false), (base + "[tpm]\ntcti = \"device:/dev/tpmrm0\"\n", true)] {
            try text.write(toFile: dir + "/guestguard.toml", atomically: true, encoding: .utf8)
            let listed = try CLIRunner.run(["--list-files", "--config", dir + "/guestguard.toml"], executable: Self.boot)
            #expect(listed.status == 0, "\(listed.stderr)")
            #expect(listed.stdout.split(separator: "\n").contains("tss2") == wantsTSS2, "\(text)\n\(listed.stdout)")
        }
    }

    /// What the local-top script reads (issue 17): the validated [network] table, the same from both executables;
    /// a bad table fails with the file and line, as at build time.
    @Test func networkPlanMatchesGuestGuardBootUnlock() throws {
        let dir = try temporaryDirectory()
        let head = "resource = \"a/b/c\"\nbrokers = [\"https://kbs.example:8443\"]\nbroker-pin = \"\(String(repeating: "ab", count: 32))\"\n"
            + "[[volume]]\nuuid = \"0b9f1c3e-5d2a-4c1b-9e8f-7a6b5c4d3e2f\"\n"
        let good = "[network]\nipv4 = \"off\"\nipv6 = \"static\"\nipv6-address = \"fd00:6::15/64\"\nhosts = { \"kbs.example\" = \"fd00:6::2\" }\n"
        try (head + good).write(toFile: dir + "/good.toml", atomically: true, encoding: .utf8)
        try (head + "[network]\nipv4 = \"off\"\n").write(toFile: dir + "/bad.toml", atomically: true, encoding: .utf8)
        for executable in [Self.boot, CLIRunner.executable] {
            let prefix = executable == Self.boot ? [] : ["boot-unlock"]
            let plan = try CLIRunner.run(prefix + ["--network-plan", "--config", dir + "/good.toml"], executable: executable)
            #expect(plan.status == 0 && plan.stdout == "interface *\nipv4 off\nipv6 static fd00:6::15/64 -\nhost kbs.example fd00:6::2\nlink-timeout 30\n",
                    "\(plan.stdout)\(plan.stderr)")
            let refused = try CLIRunner.run(prefix + ["--network-plan", "--config", dir + "/bad.toml"], executable: executable)
            #expect(refused.status != 0 && refused.stdout.isEmpty && refused.stderr.contains("bad.toml:2:"), "\(refused.stderr)")
            #expect(refused.stderr.contains("a broker on the configured network") || refused.stderr.contains("a name with a resolver"), "\(refused.stderr)")
        }
    }

    @Test func refusesTheSimulatorDirectoryAndPowersOffWithTheSameLines() throws {
        let dir = try temporaryDirectory()
        let pin = String(repeating: "ab", count: 32)
        try "resource = \"a/b/c\"\nbrokers = [\"https://kbs:8443\"]\nbroker-pin = \"\(pin)\"\n[test-only]\nsimulator = \"\(dir)/sim\"\n[[volume]]\nuuid = \"0b9f1c3e-5d2a-4c1b-9e8f-7a6b5c4d3e2f\"\n"
            .write(toFile: dir + "/guestguard.toml", atomically: true, encoding: .utf8)
        let refused = try CLIRunner.run(["--config", dir + "/guestguard.toml", "--on-failure", "exit", "--header-copies", dir], executable: Self.boot)
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("has no simulated secure processor") && refused.stdout.contains("powering off"), "\(refused.stdout)")

        // A missing configuration: the same console lines from both executables, then exit 1.
        let arguments = ["--config", dir + "/absent.toml", "--on-failure", "exit", "--header-copies", dir]
        let ours = try CLIRunner.run(arguments, executable: Self.boot)
        let theirs = try CLIRunner.run(["boot-unlock"] + arguments)
        #expect(ours.status == 1 && theirs.status == 1)
        #expect(ours.stdout == theirs.stdout && ours.stdout.contains("absent.toml") && ours.stdout.contains("powering off"), "\(ours.stdout)\n\(theirs.stdout)")
    }

    /// The boot executable links none of the multi-call binary's server, deny engine, tenant-side verifier,
    /// simulator, ArgumentParser or FoundationEssentials, nor swift-asn1 (AMD's certificate profile) or mode detection,
    /// no SwiftNIO (its HTTP client is the blocking one) and not the regex engine (`_StringProcessing`, `_RegexParser`:
    /// text search goes through SNPABI's `containsText`). Swift symbols carry their module's name. The tss2 libraries
    /// are dlopen()ed, not linked (issue 14).
    @Test func linksNoServerDenyEngineVerifierOrSimulator() throws {
        let modules = Set(try symbolModules(Self.boot))
        let everything = Set(try symbolModules(CLIRunner.executable))
        for module in ["GuestGuardPosture", "PostureService", "SNPVerifier", "SNPSimulator", "GuestGuardAppraisal", "SNPPolicy", "SNPMeasure",
                       "ServiceLifecycle", "ArgumentParser", "FoundationEssentials", "GuestGuardHTTP", "NIOCore", "NIOPosix", "NIOHTTP1",
                       "_StringProcessing", "_RegexParser", "AMDCertificateProfile", "SwiftASN1", "GuestGuardDetection"] {
            #expect(!modules.contains(module), "guestguard-boot links \(module)")
        }
        // Extensions the regex engine's modules add to standard types (`StringProtocol.contains(_: String)`,
        // `firstRange(of:)`) mangle as `$sSy17_StringProcessingE…`: a reference to one, even in this debug build
        // (where the stdlib is a shared library), links the regex engine statically into the release binary.
        let names = try CLIRunner.run([Self.boot.path], executable: URL(fileURLWithPath: "/usr/bin/nm")).stdout
        for module in ["17_StringProcessing", "12_RegexParser"] {
            let users = names.split(separator: "\n").filter { $0.contains(module) }.prefix(3)
            #expect(users.isEmpty, "guestguard-boot refers to \(module): \(users.joined(separator: "; ")) (use SNPABI's containsText/firstRange(ofText:))")
        }
        for module in ["GuestGuardBoot", "GuestGuardCore", "KeyBrokerClient", "GuestGuardHTTPClient", "GuestGuardLinux", "GuestGuardTPM"] {
            #expect(modules.contains(module), "guestguard-boot lacks \(module)")
        }
        // The same probe sees them in the multi-call binary: the check can fail.
        #expect(everything.isSuperset(of: ["GuestGuardPosture", "PostureService", "SNPVerifier", "SNPSimulator", "ArgumentParser", "NIOCore",
                                           "AMDCertificateProfile", "SwiftASN1", "GuestGuardDetection"]))
        let needed = try CLIRunner.run(["-d", Self.boot.path], executable: URL(fileURLWithPath: "/usr/bin/readelf"))
        #expect(needed.status == 0 && needed.stdout.contains("libcryptsetup") && !needed.stdout.contains("libtss2"), "\(needed.stdout)")
    }

    /// guestguard-boot's release link points the runtime's `_swift_stdlib_getScalarName` at a stub that knows no
    /// names (no scalar-name tables: Sources/guestguard-boot/NoScalarNames.swift), so nothing in it may ask a scalar for
    /// its name. `Unicode.Scalar.Properties.name` and `nameAlias` are not inlinable: a use anywhere in the boot
    /// executable's modules is a reference to them in this (debug, shared-stdlib) build.
    @Test func asksNoUnicodeScalarForItsName() throws {
        let symbols = try CLIRunner.run([Self.boot.path], executable: URL(fileURLWithPath: "/usr/bin/nm")).stdout.split(separator: "\n")
        let users = symbols.filter { $0.contains("$ss7UnicodeO6ScalarV10PropertiesV4name") || $0.contains("$ss7UnicodeO6ScalarV10PropertiesV9nameAlias") }
        #expect(users.isEmpty, "guestguard-boot asks Unicode scalars for their names: \(users.prefix(3).joined(separator: "; "))")
        #expect(symbols.contains { $0.hasSuffix(" T guestguard_boot_no_scalar_name") }, "the stub the release link names is missing")
    }

    /// guestguard-boot's whole path is synchronous (blocking sockets, `nanosleep` backoff, `MonotonicInstant` deadlines), so
    /// its modules use no Swift concurrency: one async function, `Task`, continuation, `TaskLocal` or `ContinuousClock`
    /// in them links `_Concurrency`, libdispatch and BlocksRuntime statically into the release binary (0.58 MB, 0.19 MB
    /// zstd: README, "Binary size"). Their objects in this build show such a use as a reference to the concurrency
    /// runtime's entry points or types; the multi-call `guestguard`'s objects show that the probe can fail. (swift-log's
    /// task-local logger, which guestguard-boot never uses, is answered in its release link by
    /// Sources/CGuestGuardBootStubs.)
    @Test func bootModulesUseNoSwiftConcurrency() throws {
        let markers = ["swift_task_", "swift_continuation_", "swift_job_", "swift_get_time", "dispatch_", "_Block_",
                       "15ContinuousClock", "15SuspendingClock", "9TaskLocal"]
        let build = Self.boot.deletingLastPathComponent()
        func users(_ module: String) throws -> [Substring] {
            let directory = build.appendingPathComponent("\(module).build")
            let objects = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".o") }.sorted()
            #expect(!objects.isEmpty, "no objects of \(module) in \(directory.path)")
            let nm = try CLIRunner.run(["-u"] + objects.map { directory.appendingPathComponent($0).path }, executable: URL(fileURLWithPath: "/usr/bin/nm"))
            #expect(nm.status == 0, "\(nm.stderr)")
            return nm.stdout.split(separator: "\n").filter { line in markers.contains { line.contains($0) } }
        }
        for module in ["guestguard_boot", "GuestGuardBoot", "GuestGuardCore", "GuestGuardLinux", "GuestGuardPlatform", "GuestGuardHTTPClient",
                       "KeyBrokerClient", "KeyBrokerJWE", "KeyBrokerProtocol", "GuestGuardTPM", "GuestGuardConfig", "GuestGuardCrypto", "SNPABI",
                       "CanonicalJSON", "LUKS2Policy"] {
            let found = try users(module)
            #expect(found.isEmpty, "\(module) (linked into guestguard-boot) uses Swift concurrency: \(found.prefix(5).joined(separator: "; "))")
        }
        #expect(try !users("guestguard").isEmpty, "the multi-call guestguard's async commands show the probe works")
    }

    /// The module names in the Swift symbols (`$s<length><Module>…`) of an executable's symbol table (`nm`).
    func symbolModules(_ executable: URL) throws -> [String] {
        let nm = try CLIRunner.run([executable.path], executable: URL(fileURLWithPath: "/usr/bin/nm"))
        #expect(nm.status == 0, "\(nm.stderr)")
        return nm.stdout.split(separator: "\n").compactMap { line -> String? in
            guard let name = line.split(separator: " ").last, name.hasPrefix("$s") else { return nil }
            let rest = name.dropFirst(2)
            let digits = rest.prefix(while: \.isNumber)
            guard let count = Int(digits), count > 0 else { return nil }
            let module = rest.dropFirst(digits.count).prefix(count)
            return module.count == count ? String(module) : nil
        }
    }

    @Test func badCommandLinesAreUsageErrors() throws {
        let cases: [([String], String)] = [
            (["--bogus"], "unknown argument '--bogus'"),
            (["--on-failure", "reboot"], "the value 'reboot' is invalid for --on-failure"),
            (["--config", "a", "--config=b"], "--config given twice"),
            (["--config"], "missing value for --config"),
            (["--list-files=yes"], "--list-files takes no value"),
        ]
        for (arguments, message) in cases {
            let result = try CLIRunner.run(arguments, executable: Self.boot)
            #expect(result.status == 64 && result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
    }
}
