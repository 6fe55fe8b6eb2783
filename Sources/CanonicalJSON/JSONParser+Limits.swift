extension JSONParser {
    /// Resource limits for one `JSONParser.parse` call. Each is checked before the work it bounds.
    public struct Limits: Sendable, Hashable {
        /// Maximum length of the whole text in bytes.
        public var maxBytes: Int
        /// Maximum nesting of arrays and objects; the outermost container is depth 1.
        public var maxDepth: Int
        /// Maximum length of one string (value or member name), in UTF-8 bytes after unescaping.
        public var maxStringBytes: Int

        public init(maxBytes: Int, maxDepth: Int, maxStringBytes: Int) {
            self.maxBytes = maxBytes
            self.maxDepth = maxDepth
            self.maxStringBytes = maxStringBytes
        }

        /// 2 MiB of text (Trustee KBS's default `payload_request_size`), depth 64, strings of 1 MiB.
        public static let `default` = Limits(maxBytes: 2 << 20, maxDepth: 64, maxStringBytes: 1 << 20)
    }
}
