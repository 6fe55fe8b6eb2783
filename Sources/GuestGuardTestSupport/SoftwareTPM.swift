#if canImport(Glibc)
import Glibc
#endif

/// A swtpm TPM 2.0 the test starts on loopback (`swtpm socket --tpm2 --server type=tcp,port=P
/// --ctrl type=tcp,port=P+1 --flags not-need-init,startup-clear`) with a temporary state
/// directory, as a ``ChildProcess``, which stops it (SIGTERM, then SIGKILL two seconds later: swtpm
/// waits for its client to disconnect) in `deinit`. Keep the instance alive while a TPM client uses
/// it (`withExtendedLifetime`): Swift may end a local's lifetime at its last use.
///
/// Tests skip only when swtpm is not installed (``isInstalled``); any other failure to start is
/// an error.
public final class SoftwareTPM: Sendable {
    public struct StartFailure: Error, CustomStringConvertible {
        public let description: String
    }

    /// True when `swtpm` is on PATH.
    public static var isInstalled: Bool { executable("swtpm") != nil }

    public let port: Int
    private let process: ChildProcess
    private let state: TemporaryFileTree

    /// The tctildr configuration for this instance.
    public var tcti: String { "swtpm:host=127.0.0.1,port=\(port)" }

    public init() throws {
        guard let swtpm = Self.executable("swtpm") else { throw StartFailure(description: "swtpm is not installed") }
        state = TemporaryFileTree(prefix: "guestguard-swtpm")
        var lastFailure = "no attempt"
        // A random even port may be taken: a few tries.
        for _ in 0..<8 {
            let port = Int.random(in: 20_000..<60_000) & ~1
            let arguments = [
                "socket", "--tpm2", "--tpmstate", "dir=\(state.root)",
                "--server", "type=tcp,port=\(port),bindaddr=127.0.0.1", "--ctrl", "type=tcp,port=\(port + 1),bindaddr=127.0.0.1",
                "--flags", "not-need-init,startup-clear", "--log", "file=\(state.root)/log,level=1",
            ]
            let child = try ChildProcess(swtpm, arguments)
            do {
                try child.waitForPort(port, timeout: .seconds(30))
                self.port = port
                self.process = child
                return
            } catch {
                child.stop(grace: .zero)
                lastFailure = error.description
            }
        }
        throw StartFailure(description: "swtpm did not start: \(lastFailure)")
    }

    deinit { process.stop() }

    /// The first `name` on PATH that is executable.
    public static func executable(_ name: String) -> String? {
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") where access("\(directory)/\(name)", X_OK) == 0 {
            return "\(directory)/\(name)"
        }
        return nil
    }
}
