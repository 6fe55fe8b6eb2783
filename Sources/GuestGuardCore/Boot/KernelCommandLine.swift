/// The kernel command line (`/proc/cmdline`) as whitespace-separated tokens. Host-controlled:
/// read only to check what the boot will do with it, never to decide whom to trust.
public struct KernelCommandLine: Sendable, Hashable {
    public let tokens: [String]

    public init(_ text: String) {
        tokens = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init)
    }

    /// The value of the last `key=value` token (the kernel, initramfs-tools' /init and systemd's
    /// generators all let the last one win); nil when there is none. Quotes are kept: a quoted
    /// `root="…"` never names `/dev/mapper/<name>`, so it is refused rather than interpreted.
    public func lastValue(of key: String) -> String? {
        let prefix = key + "="
        return tokens.last { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
    }
}
