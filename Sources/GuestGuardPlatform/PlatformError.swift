/// An operating-system call that failed: which operation, on what, and the errno.
///
/// Modelled on swift-system's `Errno`: the number is kept, and the description names it
/// (`ENOENT`) so a log line says what went wrong without a lookup.
public struct PlatformError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was attempted, e.g. `"open"`, `"pread"`, `"ioctl(SNP_GET_REPORT)"`.
    public let operation: String
    /// The path or object it was attempted on, if any.
    public let target: String?
    /// The errno value (positive), or 0 when the failure was not a syscall error.
    public let errno: Int32
    /// Extra words for failures that are not an errno (for example "file larger than 1 MiB").
    public let detail: String?

    public init(operation: String, target: String? = nil, errno: Int32, detail: String? = nil) {
        self.operation = operation
        self.target = target
        self.errno = errno
        self.detail = detail
    }

    /// The symbolic errno name (`ENOENT`), or `errno N` for values without a name here.
    public var errnoName: String { ErrnoName.name(errno) }

    public var description: String {
        var text = operation
        if let target { text += " \(target)" }
        if errno != 0 { text += ": \(errnoName)" }
        if let detail { text += errno != 0 ? " (\(detail))" : ": \(detail)" }
        return text
    }
}
