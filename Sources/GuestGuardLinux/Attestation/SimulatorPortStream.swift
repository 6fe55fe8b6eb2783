#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import GuestGuardPlatform

/// A byte stream carrying ``SimulatorPortFrame``s: the guest's virtio-serial port
/// (`/dev/virtio-ports/…`, a character device) or a unix stream socket (the host's side, tests).
/// Does not own the descriptor. The C functions are `poll`, `read` and `write`.
public struct SimulatorPortStream: Sendable {
    public let descriptor: Int32
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
            let (n, readError) = retryingOnInterrupt { bytes.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress! + filled, count - filled) } }
            if n < 0, readError == EAGAIN { continue }
            guard n >= 0 else { throw .system(PlatformError(operation: "read", target: name, errno: readError)) }
            if n == 0 { break }
            filled += n
        }
        return Array(bytes[0..<filled])
    }

    public func write(_ bytes: [UInt8]) throws(SimulatorPortError) {
        var sent = 0
        while sent < bytes.count {
            let (n, code) = retryingOnInterrupt { bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + sent, bytes.count - sent) } }
            guard n > 0 else { throw .system(PlatformError(operation: "write", target: name, errno: n == 0 ? EIO : code)) }
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
            let (n, _) = retryingOnInterrupt { scratch.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress!, $0.count) } }
            guard n > 0 else { return }
        }
    }

    static func monotonicMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}
