/// Substring search in the standard library proper. `String.contains(_: String)` and `firstRange(of:)` live in
/// `_StringProcessing`, whose static archive drags the regex engine (`_RegexParser`) along: about 1 MB of
/// `guestguard-boot` for a handful of calls (issue 14). Every module on the boot path searches text with these.
extension StringProtocol {
    /// The first range of `needle` (compared as UTF-8 bytes, which for valid UTF-8 is exact), or nil.
    public func firstRange(ofText needle: some StringProtocol) -> Range<Index>? {
        let haystack = utf8, target = needle.utf8
        guard let first = target.first else { return startIndex..<startIndex }
        var start = haystack.startIndex
        while let candidate = haystack[start...].firstIndex(of: first) {
            var end = candidate
            var matched = true
            for byte in target {
                guard end != haystack.endIndex, haystack[end] == byte else { matched = false; break }
                end = haystack.index(after: end)
            }
            if matched { return candidate..<end }
            start = haystack.index(after: candidate)
        }
        return nil
    }

    /// Whether `needle` occurs in the text.
    public func containsText(_ needle: some StringProtocol) -> Bool { firstRange(ofText: needle) != nil }
}
