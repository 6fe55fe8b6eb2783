import GuestGuardCore
import PostureService
import Synchronization
import Testing

@Suite struct PeriodicPostureSourceTests {
    /// Hands out the scripted reports one per evaluation (the last one repeats).
    final class Script: Sendable {
        let reports: Mutex<[StatusReport]>
        init(_ reports: [StatusReport]) { self.reports = Mutex(reports) }
        func next() -> StatusReport { reports.withLock { $0.count > 1 ? $0.removeFirst() : $0[0] } }
    }

    @Test func stateChangesBecomeDriftEvents() async {
        let script = Script([
            PostureFixtures.report([.ok, .ok], at: 100),
            PostureFixtures.report([.ok, .warn], at: 200),
            PostureFixtures.report([.ok, .warn], at: 300),
            PostureFixtures.report([.fail, .ok], at: 400),
        ])
        let source = await PeriodicPostureSource(interval: .seconds(3600)) { script.next() }
        #expect(await source.snapshot().driftEvents.isEmpty)
        await source.refresh()
        var snapshot = await source.snapshot()
        #expect(snapshot.driftEvents.map(\.itemID) == ["item-1"])
        #expect(snapshot.driftEvents.first?.change == "ok → warn: scripted warn")
        #expect(snapshot.driftEvents.first?.time.seconds == 200)
        await source.refresh()
        #expect(await source.snapshot().driftEventCount == 1)  // no change, no event
        await source.refresh()
        snapshot = await source.snapshot()
        #expect(snapshot.driftEvents.map(\.itemID) == ["item-1", "item-0", "item-1"])
        #expect(snapshot.driftEventCount == 3)
        #expect(snapshot.report.generatedAt.seconds == 400)
        #expect(snapshot.document["drift"]?["count"]?.int64Value == 3)
    }

    @Test func appearingAndVanishingItemsAreDrift() async {
        let script = Script([PostureFixtures.report([.ok], at: 1), PostureFixtures.report([.ok, .ok], at: 2), PostureFixtures.report([.ok], at: 3)])
        let source = await PeriodicPostureSource(interval: .seconds(3600)) { script.next() }
        await source.refresh()
        await source.refresh()
        let changes = await source.snapshot().driftEvents.map(\.change)
        #expect(changes == ["appeared as ok: scripted ok", "no longer evaluated (was ok)"])
    }

    @Test func onlyTheNewestEventsAreKeptButAllAreCounted() async {
        let reports = (0..<10).map { PostureFixtures.report([$0 % 2 == 0 ? .ok : .fail], at: Int64($0)) }
        let script = Script(reports)
        let source = await PeriodicPostureSource(interval: .seconds(3600), maximumEvents: 3) { script.next() }
        for _ in 0..<9 { await source.refresh() }
        let snapshot = await source.snapshot()
        #expect(snapshot.driftEventCount == 9)
        #expect(snapshot.driftEvents.map(\.time.seconds) == [7, 8, 9])
    }

    @Test func runReevaluatesPeriodicallyUntilCancelled() async throws {
        let count = Mutex(0)
        let source = await PeriodicPostureSource(interval: .milliseconds(20)) {
            count.withLock { $0 += 1 }
            return PostureFixtures.report([.ok])
        }
        let task = Task { try await source.run() }
        for _ in 0..<200 where count.withLock({ $0 }) < 4 { try await Task.sleep(for: .milliseconds(10)) }
        task.cancel()
        try await task.value
        #expect(count.withLock { $0 } >= 4)
    }
}
