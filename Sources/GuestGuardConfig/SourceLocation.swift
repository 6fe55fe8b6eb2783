/// A position in a configuration file: the file's name, a 1-based line and a 1-based column.
///
/// Columns count Unicode scalars, not bytes, so they match what an editor shows for UTF-8 text
/// (a tab counts as one column).
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// The name the caller gave the file (for example `policy.toml`); used only in messages.
    public let fileName: String
    /// 1-based line number.
    public let line: Int
    /// 1-based column, in Unicode scalars.
    public let column: Int

    public init(fileName: String, line: Int, column: Int) {
        self.fileName = fileName
        self.line = line
        self.column = column
    }

    /// `file:line:column`, the prefix compilers use.
    public var description: String { "\(fileName):\(line):\(column)" }
}
