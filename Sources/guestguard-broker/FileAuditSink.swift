import GuestGuardLinux
import GuestGuardPlatform
import KeyBrokerServer
import Synchronization

/// Audit lines appended to a file (`O_APPEND`, one `write` per line, so concurrent writers and
/// log rotation by rename are safe) and echoed to standard output. A line is recorded only when
/// every destination took all of it: a full disk, a read-only file or a closed output throws, and
/// the broker then releases nothing. The corresponding C functions are `open(O_APPEND)` and `write`.
final class FileAuditSink: AuditSink {
    private let file: OutputDescriptor?
    private let echo: Bool
    private let lock = Mutex(())

    init(path: String?, echo: Bool) throws {
        if let path {
            do throws(PlatformError) { file = try OutputDescriptor.appending(to: path, mode: 0o600, name: "audit log \(path)") } catch {
                throw BrokerCLIError(message: "cannot open the audit log \(path)", causes: [error.errnoName])
            }
        } else {
            file = nil
        }
        self.echo = echo
    }

    deinit { file?.close() }

    func record(_ event: AuditEvent) throws(PlatformError) {
        let line = event.lineBytes(terminator: UInt8(ascii: "\n"))
        try lock.withLock { (_) throws(PlatformError) in
            try file?.writeAll(line)
            if echo { try OutputDescriptor.standardOutput.writeAll(line) }
        }
    }
}
