/// Hard limits that bound the work and memory a configuration file can cost the reader.
///
/// Configuration may be written by someone other than the machine's owner (a tenant policy uploaded to
/// the broker); the limits make an oversized or deeply nested file an error instead of a crash.
public struct ConfigLimits: Sendable, Hashable {
    /// Largest accepted input, in UTF-8 bytes.
    public var maximumInputBytes: Int
    /// Deepest accepted nesting, measured as the number of components in a value's ``ConfigKeyPath``:
    /// every key and every array index counts one. Under `[a.b]`, the `1` in `c = [[1]]` is at
    /// `a.b.c[0][0]`, depth 5.
    public var maximumNestingDepth: Int

    public init(maximumInputBytes: Int, maximumNestingDepth: Int) {
        self.maximumInputBytes = maximumInputBytes
        self.maximumNestingDepth = maximumNestingDepth
    }

    /// 1 MiB and 32 levels: far above any guestguard file, far below anything that hurts.
    public static let `default` = ConfigLimits(maximumInputBytes: 1 << 20, maximumNestingDepth: 32)
}
