import GuestGuardPlatform
import Testing

@Suite struct RFC3339Tests {
    @Test func roundTrip() {
        let time = Timestamp(seconds: 1_795_462_342, nanoseconds: 0)
        #expect(RFC3339.format(time) == "2026-11-23T19:32:22Z")
        #expect(RFC3339.parse("2026-11-23T19:32:22Z") == time)
        #expect(RFC3339.parse("2026-11-23T20:32:22+01:00") == time)
        #expect(RFC3339.parse("1970-01-01T00:00:00Z") == Timestamp(seconds: 0))
        #expect(RFC3339.parse("2024-02-29T12:00:00.5Z") == Timestamp(seconds: 1_709_208_000, nanoseconds: 500_000_000))
    }

    @Test(arguments: ["", "2026-13-01T00:00:00Z", "2026-11-23 19:32:22Z", "2026-11-23T19:32:22", "2026-11-23T19:32:22Zjunk"])
    func rejectsMalformed(text: String) {
        #expect(RFC3339.parse(text) == nil)
    }
}
