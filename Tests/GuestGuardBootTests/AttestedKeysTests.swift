import GuestGuardCore
import GuestGuardPlatform
import Synchronization
import Testing

/// One fetch per boot attempt, whatever the number of volumes asking (AttestedKeys.swift).
@Suite struct AttestedKeysTests {
    final class Fetches: Sendable {
        let asked = Mutex<[[String]]>([])
        func record(_ resources: [String]) { asked.withLock { $0.append(resources) } }
        var all: [[String]] { asked.withLock { $0 } }
    }

    static func key(_ byte: UInt8) -> SecretBytes { SecretBytes(copying: [UInt8](repeating: byte, count: 32)) }

    @Test func theFirstRequestFetchesEveryResourceOnceInOrder() async throws {
        let fetches = Fetches()
        let keys = AttestedKeys(resources: ["a/b/root", "a/b/data", "a/b/root"]) { resources in
            fetches.record(resources)
            return resources.indices.map { Self.key(UInt8($0 + 1)) }
        }
        #expect(await keys.resources == ["a/b/root", "a/b/data"], "duplicates dropped, order kept")
        let data = try await keys.key(for: "a/b/data")
        let root = try await keys.key(for: "a/b/root")
        let rootAgain = try await keys.key(for: "a/b/root")
        #expect(fetches.all == [["a/b/root", "a/b/data"]])
        #expect(root.isEqual(to: Self.key(1)) && rootAgain.isEqual(to: Self.key(1)))
        #expect(data.isEqual(to: Self.key(2)))
    }

    @Test func concurrentRequestsShareTheOneFetch() async throws {
        let fetches = Fetches()
        let keys = AttestedKeys(resources: ["r/t/1", "r/t/2", "r/t/3"]) { resources in
            fetches.record(resources)
            try await Task.sleep(for: .milliseconds(50))
            return resources.indices.map { Self.key(UInt8($0)) }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for resource in ["r/t/1", "r/t/2", "r/t/3", "r/t/1"] { group.addTask { _ = try await keys.key(for: resource) } }
            try await group.waitForAll()
        }
        #expect(fetches.all.count == 1)
    }

    struct Refused: Error {}

    @Test func aFailedFetchFailsEveryVolumeWithoutFetchingAgain() async {
        let fetches = Fetches()
        let keys = AttestedKeys(resources: ["a/b/root", "a/b/data"]) { resources in
            fetches.record(resources)
            throw Refused()
        }
        await #expect(throws: Refused.self) { try await keys.key(for: "a/b/root") }
        await #expect(throws: Refused.self) { try await keys.key(for: "a/b/data") }
        #expect(fetches.all.count == 1)
    }

    @Test func anUnknownResourceOrAShortAnswerIsRefused() async {
        let fetches = Fetches()
        let keys = AttestedKeys(resources: ["a/b/root", "a/b/data"]) { resources in
            fetches.record(resources)
            return [Self.key(1)]
        }
        await #expect(throws: AttestedKeys.UnknownResource.self) { try await keys.key(for: "a/b/other") }
        #expect(fetches.all.isEmpty, "an unknown resource asks the broker nothing")
        await #expect(throws: AttestedKeys.WrongKeyCount.self) { try await keys.key(for: "a/b/root") }
    }
}
