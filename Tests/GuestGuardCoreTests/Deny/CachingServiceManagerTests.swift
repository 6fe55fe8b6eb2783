import GuestGuardCore
import GuestGuardPosture
import GuestGuardPlatform
import GuestGuardTestSupport
import Testing

/// One re-check asks about each unit once; a change to a unit is seen at once.
@Suite struct CachingServiceManagerTests {
    @Test func asksOnceAndForgetsOnChange() throws {
        let base = InMemoryServiceManager()
        base.install("debug-shell.service", .disabled, running: true)
        let cached = CachingServiceManager(base)
        #expect(try cached.unitFileState("debug-shell.service") == .disabled)
        #expect(try cached.unitFileState("debug-shell.service") == .disabled)
        #expect(try cached.isActive("debug-shell.service"))
        #expect(try cached.isActive("debug-shell.service"))
        #expect(base.calls == ["is-enabled debug-shell.service", "is-active debug-shell.service"])
        try cached.mask(["debug-shell.service"])
        try cached.stop(["debug-shell.service"])
        #expect(try cached.unitFileState("debug-shell.service") == .masked)
        #expect(try !cached.isActive("debug-shell.service"))
    }
}
