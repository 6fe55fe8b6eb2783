/// A minimal line diff for plan output: the longest common subsequence of lines, rendered with
/// ` `, `-` and `+` prefixes. Inputs longer than `limit` lines are shown as all removed then all
/// added (guestguard's own files are a few lines).
enum LineDiff {
    static let limit = 2000

    static func lines(before: String, after: String) -> [String] {
        let old = split(before)
        let new = split(after)
        guard old.count <= limit, new.count <= limit else { return old.map { "-" + $0 } + new.map { "+" + $0 } }
        // lengths[i][j]: LCS length of old[i...] and new[j...].
        var lengths = [[Int]](repeating: [Int](repeating: 0, count: new.count + 1), count: old.count + 1)
        for i in stride(from: old.count - 1, through: 0, by: -1) {
            for j in stride(from: new.count - 1, through: 0, by: -1) {
                lengths[i][j] = old[i] == new[j] ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
            }
        }
        var result: [String] = []
        var i = 0
        var j = 0
        while i < old.count || j < new.count {
            if i < old.count, j < new.count, old[i] == new[j] {
                result.append(" " + old[i]); i += 1; j += 1
            } else if j < new.count, i == old.count || lengths[i][j + 1] >= lengths[i + 1][j] {
                result.append("+" + new[j]); j += 1
            } else {
                result.append("-" + old[i]); i += 1
            }
        }
        return result
    }

    static func split(_ text: String) -> [String] {
        guard !text.isEmpty else { return [] }
        var parts = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if parts.last == "" { parts.removeLast() }
        return parts
    }
}
