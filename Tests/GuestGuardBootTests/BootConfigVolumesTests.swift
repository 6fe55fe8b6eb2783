import GuestGuardConfig
import GuestGuardCore
import Testing

/// The `[[volume]]` tables: which volumes boot may open (BootConfig+Volumes.swift).
@Suite struct BootConfigVolumesTests {
    static let head = "brokers = [\"https://kbs.example\"]\nresource = \"a/b/c\"\nbroker-pin = \"\(String(repeating: "ab", count: 32))\"\n"
    static let uuidA = "0b9f1c3e-5d2a-4c1b-9e8f-7a6b5c4d3e2f"
    static let uuidB = "11111111-2222-3333-4444-555555555555"
    static let digest = "q2VbQ0pXv1bY0m3ZkS9aJ1V8m7xqfJm0H3s3oQ2bFJk="
    /// One volume, for other suites' configurations.
    static let volume = "\n[[volume]]\nuuid = \"\(uuidA)\"\n"

    @Test func volumesWithNamesAndDigests() throws {
        let config = try BootConfig(parsing: Self.head + """

            [[volume]]
            uuid = "\(Self.uuidA.uppercased())"
            volume-key-digest = "\(Self.digest)"
            name = "root"

            [[volume]]
            uuid = "\(Self.uuidB)"
            """, fileName: "guestguard.toml")
        #expect(config.volumes == [ExpectedVolume(uuid: Self.uuidA, name: "root", volumeKeyDigest: Self.digest), ExpectedVolume(uuid: Self.uuidB)])
        #expect(config.volumes[0].uuid == Self.uuidA, "UUIDs are kept in lower case")
        let a = DiscoveredVolume(device: "/dev/vda", uuid: Self.uuidA, tokenID: 0, token: GuestGuardToken(keyslot: 0, resource: "a/b/c"))
        let b = DiscoveredVolume(device: "/dev/vdb", uuid: Self.uuidB, tokenID: 0, token: GuestGuardToken(keyslot: 0, resource: "a/b/c"))
        #expect(config.mappingName(for: a) == "root")
        #expect(config.mappingName(for: b) == "luks-\(Self.uuidB)")
    }

    @Test func eachVolumeMayNameItsResourceTheOthersUseTheTopLevelOne() throws {
        let config = try BootConfig(parsing: Self.head + """

            [[volume]]
            uuid = "\(Self.uuidA)"
            name = "root"

            [[volume]]
            uuid = "\(Self.uuidB)"
            name = "data"
            resource = "a/b/data"
            """, fileName: "guestguard.toml")
        #expect(config.volumes.map(\.resource) == [nil, "a/b/data"])
        #expect(config.resources == ["a/b/c", "a/b/data"])
        // The token (host-writable) names another resource: the configuration's wins.
        let a = DiscoveredVolume(device: "/dev/vda", uuid: Self.uuidA, tokenID: 0, token: GuestGuardToken(keyslot: 0, resource: "x/y/z"))
        let b = DiscoveredVolume(device: "/dev/vdb", uuid: Self.uuidB, tokenID: 0, token: GuestGuardToken(keyslot: 0, resource: "a/b/c"))
        #expect(config.resource(for: a) == "a/b/c")
        #expect(config.resource(for: b) == "a/b/data")
        let shared = try BootConfig(parsing: Self.head + Self.volume + "\n[[volume]]\nuuid = \"\(Self.uuidB)\"\n", fileName: "g.toml")
        #expect(shared.resources == ["a/b/c"], "two volumes under one resource: fetched once")
    }

    @Test func theTopLevelNameNamesTheSingleVolume() throws {
        let config = try BootConfig(parsing: Self.head + "name = \"root\"\n" + Self.volume, fileName: "g.toml")
        let volume = DiscoveredVolume(device: "/dev/vda", uuid: Self.uuidA, tokenID: 0, token: GuestGuardToken(keyslot: 0, resource: "a/b/c"))
        #expect(config.mappingName(for: volume) == "root")
    }

    @Test(arguments: [
        // (the text after the head, line, expected words)
        ("", 1, "key \"volume\": required key is missing"),
        ("volume = \"x\"\n", 4, "volume"),
        ("[[volume]]\nname = \"root\"\n", 4, "key \"volume[0].uuid\": required key is missing"),
        ("[[volume]]\nuuid = \"not-a-uuid\"\n", 5, "LUKS2 UUID"),
        ("[[volume]]\nuuid = \"0b9f1c3e-5d2a-4c1b-9e8f-7a6b5c4d3e2g\"\n", 5, "LUKS2 UUID"),
        ("[[volume]]\nuuid = \"\(uuidA)\"\nuid = \"x\"\n", 6, "uid"),
        ("[[volume]]\nuuid = \"\(uuidA)\"\n[[volume]]\nuuid = \"\(uuidA.uppercased())\"\n", 7, "not named by another"),
        ("[[volume]]\nuuid = \"\(uuidA)\"\nname = \"r\"\n[[volume]]\nuuid = \"\(uuidB)\"\nname = \"r\"\n", 9, "not used by another"),
        ("[[volume]]\nuuid = \"\(uuidA)\"\nname = \"../r\"\n", 6, "device-mapper name"),
        ("[[volume]]\nuuid = \"\(uuidA)\"\nvolume-key-digest = \"not base64!\"\n", 6, "digests.N.digest"),
        ("[[volume]]\nuuid = \"\(uuidA)\"\nresource = \"a/b\"\n", 6, "REPO/TYPE/TAG"),
        ("[[volume]]\nuuid = \"\(uuidA)\"\nresource = 3\n", 6, "resource"),
        ("name = \"root\"\n[[volume]]\nuuid = \"\(uuidA)\"\n[[volume]]\nuuid = \"\(uuidB)\"\n", 4, "no top-level name with several"),
    ])
    func refusedWithFileAndLine(tail: String, line: Int, words: String) {
        do {
            _ = try BootConfig(parsing: Self.head + tail, fileName: "guestguard.toml")
            Issue.record("accepted: \(tail)")
        } catch {
            #expect(error.location.line == line, "\(error)")
            #expect(error.description.hasPrefix("guestguard.toml:\(line):"), "\(error)")
            #expect(error.description.contains(words), "\(error)")
        }
    }
}
