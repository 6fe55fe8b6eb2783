#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import GuestGuardPlatform

/// The host side of the simulator port (`guestguard simulator serve`): answers report requests
/// arriving on a connection (QEMU's virtio-serial chardev, a test's socket) with what `handler`
/// returns. A malformed frame gets an error frame and ends the connection (a byte stream cannot be
/// resynchronised); QEMU reconnects (`reconnect=1`). Connections are served one at a time.
public struct SimulatorPortServer: Sendable {
    public typealias Handler = @Sendable (_ reportData: [UInt8], _ vmpl: UInt32) -> Result<SimulatorPortAnswer, SimulatorPortRefusal>

    /// How a connection ended.
    public enum End: Sendable, Hashable, CustomStringConvertible {
        /// The peer closed it after `answered` requests.
        case closed(answered: Int)
        /// A malformed frame (answered with an error frame when the stream still took one).
        case malformed(SimulatorPortError, answered: Int)

        public var description: String {
            switch self {
            case .closed(let answered): "closed after \(answered) request\(answered == 1 ? "" : "s")"
            case .malformed(let error, let answered): "dropped after \(answered) request\(answered == 1 ? "" : "s"): \(error)"
            }
        }
    }

    public let handler: Handler

    public init(handler: @escaping Handler) { self.handler = handler }

    /// Serves one connection until the peer closes it or sends a malformed frame.
    public func serve(_ stream: SimulatorPortStream, log: (String) -> Void = { _ in }) -> End {
        var answered = 0
        while true {
            let frame: (header: SimulatorPortFrame.Header, payload: [UInt8])
            do throws(SimulatorPortError) {
                guard let read = try stream.readFrame(timeoutSeconds: nil) else { return .closed(answered: answered) }
                guard read.header.kind == .reportRequest else { throw .unexpectedKind(read.header.kind) }
                frame = read
            } catch {
                try? stream.write(SimulatorPortFrame.error(.malformedFrame, error.description))
                return .malformed(error, answered: answered)
            }
            let answer: [UInt8]
            do throws(SimulatorPortError) {
                let (reportData, vmpl) = try SimulatorPortFrame.decodeRequest(frame.payload)
                switch handler(reportData, vmpl) {
                case .success(let result):
                    answer = SimulatorPortFrame.response(report: result.report, certificates: result.certificates)
                    log("report for VMPL \(vmpl)")
                case .failure(let refusal):
                    answer = SimulatorPortFrame.error(refusal.code, refusal.message)
                    log("refused: \(refusal.message)")
                }
            } catch {
                try? stream.write(SimulatorPortFrame.error(.malformedFrame, error.description))
                return .malformed(error, answered: answered)
            }
            do { try stream.write(answer) } catch { return .malformed(error, answered: answered) }
            answered += 1
        }
    }

    /// Accepts and serves connections on the socket at `path`, one at a time, forever.
    public func run(path: String, log: (String) -> Void) throws(PlatformError) -> Never {
        let listener = try UnixStreamSocket.listen(path: path)
        while true {
            let connection = try UnixStreamSocket.accept(listener, path: path)
            log("connection opened")
            let end = serve(SimulatorPortStream(descriptor: connection, name: path), log: log)
            close(connection)
            log("connection \(end)")
        }
    }
}
