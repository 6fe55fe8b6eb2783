import Dispatch
import GuestGuardCore
import GuestGuardPlatform
import GuestGuardTestSupport
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

    @Test func theFirstRequestFetchesEveryResourceOnceInOrder() throws {
        let fetches = Fetches()
        let keys = AttestedKeys(resources: ["a/b/root", "a/b/data", "a/b/root"]) { resources in
            fetches.record(resources)
            return resources.indices.map { Self.key(UInt8($0 + 1)) }
        }
        #expect(keys.resources == ["a/b/root", "a/b/data"], "duplicates dropped, order kept")
        let data = try keys.key(for: "a/b/data")
        let root = try keys.key(for: "a/b/root")
        let rootAgain = try keys.key(for: "a/b/root")
        #expect(fetches.all == [["a/b/root", "a/b/data"]])
        #expect(root.isEqual(to: Self.key(1)) && rootAgain.isEqual(to: Self.key(1)))
        #expect(data.isEqual(to: Self.key(2)))
    }

    @Test func concurrentRequestsShareTheOneFetch() {
        let fetches = Fetches()
        let keys = AttestedKeys(resources: ["r/t/1", "r/t/2", "r/t/3"]) { resources in
            fetches.record(resources)
            RecordingClock(sleepsForReal: true).sleep(for: .milliseconds(50))
            return resources.indices.map { Self.key(UInt8($0)) }
        }
        // Four callers on threads at once (the lock is held while fetching: the others wait and share the outcome).
        let resources = ["r/t/1", "r/t/2", "r/t/3", "r/t/1"]
        let answered = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: resources.count) { index in
            if (try? keys.key(for: resources[index])) != nil { answered.withLock { $0 += 1 } }
        }
        #expect(answered.withLock { $0 } == resources.count)
        #expect(fetches.all.count == 1)
    }

    struct Refused: Error {}

    @Test func aFailedFetchFailsEveryVolumeWithoutFetchingAgain() {
        let fetches = Fetches()
        let keys = AttestedKeys(resources: ["a/b/root", "a/b/data"]) { resources in
            fetches.record(resources)
            throw Refused()
        }
        #expect(throws: Refused.self) { try keys.key(for: "a/b/root") }
        #expect(throws: Refused.self) { try keys.key(for: "a/b/data") }
        #expect(fetches.all.count == 1)
    }

    @Test func anUnknownResourceOrAShortAnswerIsRefused() {
        let fetches = Fetches()
        let keys = AttestedKeys(resources: ["a/b/root", "a/b/data"]) { resources in
            fetches.record(resources)
            return [Self.key(1)]
        }
        #expect(throws: AttestedKeys.UnknownResource.self) { try keys.key(for: "a/b/other") }
        #expect(fetches.all.isEmpty, "an unknown resource asks the broker nothing")
        #expect(throws: AttestedKeys.WrongKeyCount.self) { try keys.key(for: "a/b/root") }
    }
}
