#if canImport(Glibc)
import Glibc
#endif
import Foundation
@testable import GuestGuardLinux
import GuestGuardPlatform
import Testing

/// `prctl(PR_SET_DUMPABLE, 0)`'s result is checked and surfaced; whole buffers are written or the
/// write throws (a full device, a closed pipe), never silently dropped.
@Suite struct ProcessHardeningTests {
    @Test func aRefusedPrctlIsATypedError() {
        #expect(throws: PlatformError(operation: "prctl(PR_SET_DUMPABLE, 0)", errno: ErrnoName.EPERM)) {
            try ProcessHardening.setNondumpable(set: { -ErrnoName.EPERM }, get: { 1 })
        }
    }

    @Test func aProcessThatStaysDumpableIsAnError() {
        #expect(throws: PlatformError.self) { try ProcessHardening.setNondumpable(set: { 0 }, get: { 1 }) }
        #expect(throws: Never.self) { try ProcessHardening.setNondumpable(set: { 0 }, get: { 0 }) }
    }

    @Test func writingToAFullDeviceThrowsENOSPC() throws {
        let fd = open("/dev/full", O_WRONLY | O_CLOEXEC)
        try #require(fd >= 0)
        defer { close(fd) }
        let output = OutputDescriptor(fd: fd, name: "/dev/full")
        #expect(throws: PlatformError(operation: "write", target: "/dev/full", errno: 28)) { try output.writeAll([1, 2, 3]) }
    }

    @Test func writingToAClosedPipeThrowsEPIPE() throws {
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        close(fds[0])
        defer { close(fds[1]) }
        let previous = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, previous) }
        #expect(throws: PlatformError(operation: "write", target: "pipe", errno: EPIPE)) { try OutputDescriptor(fd: fds[1], name: "pipe").writeAll([0x42]) }
    }

    /// More than a pipe holds (64 KiB), read concurrently: every byte arrives, in order, once.
    @Test func aLargeBufferArrivesWholeThroughAPipe() async throws {
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        let (reader, writer) = (fds[0], fds[1])
        let bytes = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ ($0 >> 8)) }
        let received = Task.detached { () -> [UInt8] in
            defer { close(reader) }
            var all: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = read(reader, &chunk, chunk.count)
                if n <= 0 { return all }
                all += chunk[0..<n]
            }
        }
        try OutputDescriptor(fd: writer, name: "pipe").writeAll(bytes)
        close(writer)
        #expect(await received.value == bytes)
    }
}
