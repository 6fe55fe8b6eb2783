#if canImport(Glibc)
import Glibc
#endif
import GuestGuardTestSupport

/// The Python reference implementations (`fuzz/peer.py`) as one child process per fuzzing process
/// (a `ChildProcess`), spoken to over its standard input and output: request = kind byte + u32 LE
/// length + payload, reply = u32 LE length + ASCII. The script's path is `GG_FUZZ_PEER`
/// (scripts/fuzz.sh sets it), else `fuzz/peer.py` under the current directory.
final class FuzzPeer: Sendable {
    static let shared = FuzzPeer()

    private let peer: ChildProcess

    private init() {
        let script = getenv("GG_FUZZ_PEER").map { String(cString: $0) } ?? "fuzz/peer.py"
        do { peer = try ChildProcess("python3", [script]) } catch { fatalError("cannot start python3 \(script): \(error)") }
    }

    /// Sends one request and returns the peer's reply; traps when the peer is gone.
    func ask(_ kind: Character, _ payload: [UInt8]) -> String {
        let length = UInt32(payload.count)
        var frame: [UInt8] = [kind.asciiValue!]
        frame += (0..<4).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) }
        frame += payload
        do {
            try peer.write(frame)
            let header = try peer.readStandardOutput(exactly: 4, timeout: .seconds(600))
            let replyLength = header.enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
            return String(decoding: try peer.readStandardOutput(exactly: replyLength, timeout: .seconds(600)), as: UTF8.self)
        } catch {
            fatalError("the Python peer is gone: \(error)")
        }
    }
}
