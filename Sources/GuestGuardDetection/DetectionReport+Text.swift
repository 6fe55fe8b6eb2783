extension DetectionReport {
    /// The human rendering of `guestguard detect`.
    public var text: String {
        var lines: [String] = []
        var verdict = "memory encryption: \(mode.displayName)"
        if let basis, let decidingSource { verdict += " (\(basis.rawValue), from \(decidingSource.label))" } else { verdict += " (no source stated a mode)" }
        lines.append(verdict)
        if let otherTEE { lines.append("confidential guest: \(otherTEE) — not supported") }
        lines.append("vTOM (paravisor): \(Self.word(vTOM))    SVSM/paravisor below the guest: \(Self.word(svsm))")
        for line in inconsistencies { lines.append(line) }
        lines.append("")
        lines.append("sources:")
        for reading in readings {
            let mode = reading.impliedMode.map { " → \($0.displayName)" } ?? ""
            lines.append("  \(pad(reading.source.label, 36)) \(pad("[\(reading.trust.rawValue)]", 22)) \(pad(reading.status.rawValue, 11))\(mode)")
            lines.append("      \(reading.summary)")
        }
        if !notes.isEmpty {
            lines.append("")
            for note in notes { lines.append("note: \(note)") }
        }
        return lines.joined(separator: "\n")
    }

    static func word(_ value: Bool?) -> String { value.map { $0 ? "yes" : "no" } ?? "unknown" }
}

package func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}
