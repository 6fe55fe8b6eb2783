#if canImport(Glibc)
import Glibc
#endif

/// The Python reference implementations (`fuzz/peer.py`) as one child process per fuzzing process,
/// spoken to over pipes: request = kind byte + u32 LE length + payload, reply = u32 LE length + ASCII.
/// The script's path is `GG_FUZZ_PEER` (scripts/fuzz.sh sets it), else `fuzz/peer.py` under the
/// current directory.
final class FuzzPeer: @unchecked Sendable {
    static let shared = FuzzPeer()

    private let toPeer: Int32
    private let fromPeer: Int32

    private init() {
        let script = getenv("GG_FUZZ_PEER").map { String(cString: $0) } ?? "fuzz/peer.py"
        var requestPipe: [Int32] = [0, 0]
        var replyPipe: [Int32] = [0, 0]
        guard pipe(&requestPipe) == 0, pipe(&replyPipe) == 0 else { fatalError("pipe: \(errno)") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_adddup2(&actions, requestPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, replyPipe[1], 1)
        for fd in requestPipe + replyPipe { posix_spawn_file_actions_addclose(&actions, fd) }
        let arguments = ["python3", script]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        var pid: pid_t = 0
        let status = posix_spawnp(&pid, "python3", &actions, nil, &argv, environ)
        posix_spawn_file_actions_destroy(&actions)
        for pointer in argv { free(pointer) }
        guard status == 0 else { fatalError("cannot start python3 \(script): \(status)") }
        close(requestPipe[0])
        close(replyPipe[1])
        toPeer = requestPipe[1]
        fromPeer = replyPipe[0]
    }

    /// Sends one request and returns the peer's reply; traps when the peer is gone.
    func ask(_ kind: Character, _ payload: [UInt8]) -> String {
        let length = UInt32(payload.count)
        var frame: [UInt8] = [kind.asciiValue!]
        frame += (0..<4).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) }
        frame += payload
        writeAll(frame)
        let header = readExactly(4)
        let replyLength = header.enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        return String(decoding: readExactly(replyLength), as: UTF8.self)
    }

    private func writeAll(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(toPeer, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { fatalError("the Python peer is gone (write: errno \(errno))") }
            offset += written
        }
    }

    private func readExactly(_ count: Int) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let got = buffer[offset...].withUnsafeMutableBytes { read(fromPeer, $0.baseAddress, $0.count) }
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { fatalError("the Python peer is gone (read: \(got), errno \(errno))") }
            offset += got
        }
        return buffer
    }
}
