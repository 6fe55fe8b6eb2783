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
        #expect(ResidentMemory.releaseReadOnlyFilePages(smaps: "/nonexistent/smaps") == 0)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gg-maps-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // An unmapped range in the lower half: madvise fails with ENOMEM and nothing counts.
        try "000000001000-000000002000 r-xp 00000000 08:01 1 /unmapped\n".write(to: dir.appendingPathComponent("maps"), atomically: true, encoding: .utf8)
        #expect(ResidentMemory.releaseReadOnlyFilePages(smaps: dir.appendingPathComponent("maps").path) == 0)
    }
}

extension ResidentMemoryTests {
    /// Only a mapping whose smaps entry shows no private page (resident or swapped) may be dropped; a maps line
    /// without smaps fields may not.
    @Test func smapsFieldsDecideWhatMayBeDropped() {
        let text = """
            55d0c0a00000-55d0c0b00000 r-xp 00001000 08:01 1234                       /usr/bin/guestguard
            Size:               1024 kB
            Rss:                 300 kB
            Anonymous:             0 kB
            Swap:                  0 kB
            VmFlags: rd ex mr mw me
            55d0c0b00000-55d0c0c00000 r--p 00101000 08:01 1234                       /usr/bin/guestguard
            Anonymous:           644 kB
            Swap:                  0 kB
            55d0c0c00000-55d0c0d00000 r--p 00201000 08:01 1234                       /usr/lib/libx.so
            Anonymous:             0 kB
            Swap:                  8 kB
            55d0c0d00000-55d0c0e00000 r--p 00301000 08:01 1234                       /usr/lib/liby.so
            """
        let mappings = ResidentMemory.mappings(smaps: text)
        #expect(mappings.map(\.start) == [0x55d0c0a00000, 0x55d0c0b00000, 0x55d0c0c00000, 0x55d0c0d00000])
        #expect(mappings.map(\.holdsOnlyFilePages) == [true, false, false, false])
        #expect(mappings.map(\.anonymousKilobytes) == [0, 644, 0, nil])
    }

    /// A read-only private mapping that holds a copy-on-write page (as a relocated RELRO segment does) keeps it:
    /// the release must not turn it back into the file's bytes. A clean one still reads the file's bytes.
    @Test func aPrivateCopyInAReadOnlyMappingSurvivesTheRelease() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gg-relro-\(UUID().uuidString)").path
        try Data(repeating: 0x11, count: 8192).write(to: URL(filePath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fd = open(path, O_RDONLY)
        #expect(fd >= 0)
        defer { close(fd) }
        let relocated = try #require(Self.mapped(mmap(nil, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0)))
        let clean = try #require(Self.mapped(mmap(nil, 8192, PROT_READ, MAP_PRIVATE, fd, 0)))
        defer { munmap(relocated, 8192); munmap(clean, 8192) }
        relocated.storeBytes(of: 0x22, as: UInt8.self)  // a private copy of page 0, as the loader's relocation makes
        #expect(mprotect(relocated, 8192, PROT_READ) == 0)
        #expect(clean.load(as: UInt8.self) == 0x11)
        #expect(ResidentMemory.releaseReadOnlyFilePages() > 0)
        #expect(relocated.load(as: UInt8.self) == 0x22)
        #expect(relocated.load(fromByteOffset: 4096, as: UInt8.self) == 0x11)
        #expect(clean.load(as: UInt8.self) == 0x11)
    }

    static func mapped(_ pointer: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
        pointer == UnsafeMutableRawPointer(bitPattern: -1) ? nil : pointer
    }

    /// glibc accepts the arena cap (mallopt returns 1), and the process allocates on afterwards.
    @Test func mallocArenaCapIsAccepted() {
        #expect(ResidentMemory.limitMallocArenas(to: 8))
        #expect([UInt8](repeating: 1, count: 1 << 20).count == 1 << 20)
    }
}
