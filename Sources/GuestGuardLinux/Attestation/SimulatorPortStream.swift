#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import GuestGuardPlatform
import SystemPackage

/// A byte stream carrying ``SimulatorPortFrame``s: the guest's virtio-serial port
/// (`/dev/virtio-ports/…`, a character device) or a unix stream socket (the host's side, tests).
/// Does not own the descriptor. The C functions are `poll`, and `read` and `write` through
/// swift-system's `FileDescriptor` (retried on EINTR).
public struct SimulatorPortStream: Sendable {
    public let descriptor: Int32
    var file: FileDescriptor { FileDescriptor(rawValue: descriptor) }
    /// Names the stream in errors (a path, or "connection").
    public let name: String

    public init(descriptor: Int32, name: String) {
        self.descriptor = descriptor
        self.name = name
    }

    /// Reads one frame: the header (bounds-checked before any payload byte is read), then the
    /// payload. `timeoutSeconds` nil waits for the first byte forever (the server between requests).
    /// Returns nil when the peer closed the stream before the first byte.
    public func readFrame(timeoutSeconds: Int?) throws(SimulatorPortError) -> (header: SimulatorPortFrame.Header, payload: [UInt8])? {
        let first = try read(SimulatorPortFrame.headerByteCount, timeoutSeconds: timeoutSeconds)
        if first.isEmpty { return nil }
        guard first.count == SimulatorPortFrame.headerByteCount else {
            throw .shortFrame(expected: SimulatorPortFrame.headerByteCount, received: first.count)
        }
        let header = try SimulatorPortFrame.Header(parsing: first[...])
        let payload = try read(header.payloadLength, timeoutSeconds: timeoutSeconds ?? 10)
        guard payload.count == header.payloadLength else { throw .shortFrame(expected: header.payloadLength, received: payload.count) }
        return (header, payload)
    }

    /// Up to `count` bytes: fewer only when the peer closed the stream.
    func read(_ count: Int, timeoutSeconds: Int?) throws(SimulatorPortError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        let deadline = timeoutSeconds.map { Self.monotonicMilliseconds() + Int64($0) * 1000 }
        while filled < count {
            var waitMilliseconds: Int32 = -1
            if let deadline {
                let left = deadline - Self.monotonicMilliseconds()
                guard left > 0 else { throw .timedOut(seconds: timeoutSeconds ?? 0) }
                waitMilliseconds = Int32(clamping: left)
            }
            var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let (ready, pollError) = retryingOnInterrupt { poll(&entry, 1, waitMilliseconds) }
            guard ready >= 0 else { throw .system(PlatformError(operation: "poll", target: name, errno: pollError)) }
            if ready == 0 { continue }
            let n: Int
            do {
                n = try bytes.withUnsafeMutableBytes { try file.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[filled..<count]), retryOnInterrupt: true) }
            } catch Errno.resourceTemporarilyUnavailable {
                continue
            } catch {
                throw .system(PlatformError(operation: "read", target: name, error))
            }
            if n == 0 { break }
            filled += n
        }
        return Array(bytes[0..<filled])
    }

    public func write(_ bytes: [UInt8]) throws(SimulatorPortError) {
        var sent = 0
        while sent < bytes.count {
            let n: Int
            do {
                n = try bytes.withUnsafeBytes { try file.write(UnsafeRawBufferPointer(rebasing: $0[sent...]), retryOnInterrupt: true) }
            } catch {
                throw .system(PlatformError(operation: "write", target: name, error))
            }
            guard n > 0 else { throw .system(PlatformError(operation: "write", target: name, errno: EIO)) }
            sent += n
        }
    }

    /// Discards whatever is already waiting (an answer to an earlier, abandoned request).
    func drain() throws(SimulatorPortError) {
        var scratch = [UInt8](repeating: 0, count: 4096)
        while true {
            var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let (ready, pollError) = retryingOnInterrupt { poll(&entry, 1, 0) }
            guard ready >= 0 else { throw .system(PlatformError(operation: "poll", target: name, errno: pollError)) }
            guard ready > 0, entry.revents & Int16(POLLIN) != 0 else { return }
            let n = (try? scratch.withUnsafeMutableBytes { try file.read(into: $0, retryOnInterrupt: true) }) ?? 0
            guard n > 0 else { return }
        }
    }

    static func monotonicMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}
