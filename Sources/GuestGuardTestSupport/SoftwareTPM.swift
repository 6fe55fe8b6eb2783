#if canImport(Glibc)
import Glibc
#endif

/// A swtpm TPM 2.0 the test starts on loopback (`swtpm socket --tpm2 --server type=tcp,port=P
/// --ctrl type=tcp,port=P+1 --flags not-need-init,startup-clear`) with a temporary state
/// directory, and stops (SIGTERM to the process it started, then `waitpid`) in `deinit`. Keep the
/// instance alive while a TPM client uses it (`withExtendedLifetime`): Swift may end a local's
/// lifetime at its last use.
///
/// Tests skip only when swtpm is not installed (``isInstalled``); any other failure to start is
/// an error.
public final class SoftwareTPM: @unchecked Sendable {
    public struct StartFailure: Error, CustomStringConvertible {
        public let description: String
    }

    /// True when `swtpm` is on PATH.
    public static var isInstalled: Bool { executable("swtpm") != nil }

    public let port: Int
    private let pid: pid_t
    private let state: TemporaryFileTree

    /// The tctildr configuration for this instance.
    public var tcti: String { "swtpm:host=127.0.0.1,port=\(port)" }

    public init() throws {
        guard let swtpm = Self.executable("swtpm") else { throw StartFailure(description: "swtpm is not installed") }
        state = TemporaryFileTree(prefix: "guestguard-swtpm")
        var lastFailure = "no attempt"
        for _ in 0..<8 {
            let port = Int.random(in: 20_000..<60_000) & ~1
            let arguments = [
                "swtpm", "socket", "--tpm2", "--tpmstate", "dir=\(state.root)",
                "--server", "type=tcp,port=\(port),bindaddr=127.0.0.1", "--ctrl", "type=tcp,port=\(port + 1),bindaddr=127.0.0.1",
                "--flags", "not-need-init,startup-clear", "--log", "file=\(state.root)/log,level=1",
            ]
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, "\(state.root)/stdout", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            posix_spawn_file_actions_addopen(&actions, 2, "\(state.root)/stderr", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            var cArguments = arguments.map { strdup($0) } + [nil]
            var child: pid_t = 0
            let spawned = posix_spawn(&child, swtpm, &actions, nil, &cArguments, environ)
            posix_spawn_file_actions_destroy(&actions)
            for pointer in cArguments { free(pointer) }
            guard spawned == 0 else { throw StartFailure(description: "posix_spawn swtpm: errno \(spawned)") }
            if Self.waitUntilListening(port: port, child: child) {
                self.port = port
                self.pid = child
                return
            }
            kill(child, SIGKILL)
            var status: Int32 = 0
            while waitpid(child, &status, 0) == -1 && errno == EINTR {}
            lastFailure = (try? state.fileSystem.readText("/stderr", limit: 1 << 16)) ?? "exited"
        }
        throw StartFailure(description: "swtpm did not start: \(lastFailure)")
    }

    /// SIGTERM, up to two seconds for swtpm to exit (it waits for its client to disconnect), then SIGKILL.
    deinit {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        for _ in 0..<40 {
            if waitpid(pid, &status, WNOHANG) == pid { return }
            usleep(50_000)
        }
        kill(pid, SIGKILL)
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    }

    /// Polls `port` on 127.0.0.1 for up to five seconds while `child` lives.
    private static func waitUntilListening(port: Int, child: pid_t) -> Bool {
        for _ in 0..<100 {
            var status: Int32 = 0
            if waitpid(child, &status, WNOHANG) == child { return false }
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { return false }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = in_addr_t(UInt32(0x7f00_0001).bigEndian)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            close(fd)
            if connected == 0 { return true }
            usleep(50_000)
        }
        return false
    }

    /// The first `name` on PATH that is executable.
    public static func executable(_ name: String) -> String? {
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") where access("\(directory)/\(name)", X_OK) == 0 {
            return "\(directory)/\(name)"
        }
        return nil
    }
}
