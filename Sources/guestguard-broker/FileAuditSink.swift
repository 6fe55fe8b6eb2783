#if canImport(Glibc)
import Glibc
#endif
import KeyBrokerServer
import Synchronization

/// Audit lines appended to a file (`O_APPEND`, one `write` per line, so concurrent writers and
/// log rotation by rename are safe) and echoed to standard output. The corresponding C functions
/// are `open(O_APPEND)` and `write`.
final class FileAuditSink: AuditSink {
    private let fd: Int32
    private let echo: Bool
    private let lock = Mutex(())

    init(path: String?, echo: Bool) throws {
        if let path {
            fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw BrokerCLIError(message: "cannot open the audit log \(path)", causes: ["errno \(errno)"]) }
        } else {
            fd = -1
        }
        self.echo = echo
    }

    deinit { if fd >= 0 { close(fd) } }

    func record(_ event: AuditEvent) {
        let line = Array((event.line + "\n").utf8)
        lock.withLock { _ in
            if fd >= 0 { _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } }
            if echo { _ = line.withUnsafeBytes { write(1, $0.baseAddress, $0.count) } }
        }
    }
}
