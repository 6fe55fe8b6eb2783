import CanonicalJSON

/// The text `guestguard status` prints, from a posture document (as read from the daemon):
/// the same layout as `StatusReport.text`, plus the drift count when there was drift.
public enum PostureDocumentText {
    public static func render(_ document: JSONValue) -> String {
        let overall = document["overall"]?.stringValue ?? "unknown"
        let mode = document["mode"]?.stringValue ?? "unknown"
        let time = document["generatedAt"]?.stringValue ?? "?"
        var lines = ["posture: \(overall.uppercased())  (memory encryption \(mode), \(time), from the guestguard daemon)"]
        for item in document["items"]?.arrayValue ?? [] {
            let state = (item["state"]?.stringValue ?? "unknown").uppercased()
            let title = item["title"]?.stringValue ?? item["id"]?.stringValue ?? "?"
            lines.append("  \(pad(state, 8)) \(pad(title, 26)) \(item["reason"]?.stringValue ?? "")")
        }
        if let count = document["drift"]?["count"]?.int64Value, count > 0 {
            lines.append("drift: \(count) event(s) since the daemon started")
            for event in (document["drift"]?["events"]?.arrayValue ?? []).suffix(5) {
                lines.append("  \(event["time"]?.stringValue ?? "?") \(event["item"]?.stringValue ?? "?"): \(event["change"]?.stringValue ?? "")")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The documented exit code for the document's overall state: 0 ok, 1 warn/unknown, 2 fail.
    public static func exitCode(_ document: JSONValue) -> Int32 {
        switch document["overall"]?.stringValue {
        case "ok": return 0
        case "fail": return 2
        default: return 1
        }
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
