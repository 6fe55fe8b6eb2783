import Foundation
@testable import GuestGuardLinux
import Testing

/// `guestguard serve` gives its read-only file pages back after start-up (issue 14): which mappings qualify,
/// and that the real call advises this process's own executable and libraries and leaves it working.
@Suite struct ResidentMemoryTests {
    @Test func onlyReadOnlyFileMappingsQualify() throws {
        let lines: [(String, Bool)] = [
            ("55d0c0a00000-55d0c0b00000 r-xp 00001000 08:01 1234                       /usr/bin/guestguard", true),
            ("55d0c0b00000-55d0c0c00000 r--p 00101000 08:01 1234                       /usr/bin/guestguard", true),
            ("55d0c0c00000-55d0c0c10000 rw-p 00201000 08:01 1234                       /usr/bin/guestguard", false),
            ("7f0000000000-7f0000100000 r--p 00000000 00:00 0                          [vvar]", false),
            ("7f0000100000-7f0000200000 rw-p 00000000 00:00 0                          [heap]", false),
            ("7f0000200000-7f0000300000 r--p 00000000 00:00 0 ", false),
            ("7f0000300000-7f0000400000 r--s 00000000 08:01 99                         /var/lib/a file with spaces", true),
            ("garbage", false),
            ("7f0000400000-7f0000300000 r--p 00000000 08:01 99                         /backwards", false),
        ]
        for (line, qualifies) in lines {
            #expect((ResidentMemory.Mapping(line[...])?.isReadOnlyFile ?? false) == qualifies, "\(line)")
        }
        #expect(ResidentMemory.Mapping("7f0000300000-7f0000400000 r--s 00000000 08:01 99   /var/lib/a file with spaces")?.path == "/var/lib/a file with spaces")
    }

    @Test func advisesThisProcessesFilePagesAndCarriesOn() throws {
        let advised = ResidentMemory.releaseReadOnlyFilePages()
        #expect(advised > 0)
        // The code paged out faults back in: the process goes on working.
        #expect(try HostFileSystem().readFile("/proc/self/status", limit: 1 << 20).count > 0)
    }

    @Test func unreadableMapsOrBadRangesAdviseNothing() throws {
        #expect(ResidentMemory.releaseReadOnlyFilePages(maps: "/nonexistent/maps") == 0)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gg-maps-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // An unmapped range in the lower half: madvise fails with ENOMEM and nothing counts.
        try "000000001000-000000002000 r-xp 00000000 08:01 1 /unmapped\n".write(to: dir.appendingPathComponent("maps"), atomically: true, encoding: .utf8)
        #expect(ResidentMemory.releaseReadOnlyFilePages(maps: dir.appendingPathComponent("maps").path) == 0)
    }
}

extension ResidentMemoryTests {
    /// glibc accepts the arena cap (mallopt returns 1), and the process allocates on afterwards.
    @Test func mallocArenaCapIsAccepted() {
        #expect(ResidentMemory.limitMallocArenas(to: 8))
        #expect([UInt8](repeating: 1, count: 1 << 20).count == 1 << 20)
    }
}
