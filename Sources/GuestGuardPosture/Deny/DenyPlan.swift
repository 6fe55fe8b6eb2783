/// What `guestguard deny` would change, in apply order. Empty when the system already matches the
/// policy (a second run after an apply).
public struct DenyPlan: Sendable, Hashable {
    public let steps: [DenyStep]
    /// Things the plan cannot do and the operator should know (one-way changes, missing keys).
    public let notes: [String]

    public init(steps: [DenyStep], notes: [String] = []) {
        self.steps = steps.enumerated().sorted { ($0.element.change.phase, $0.offset) < ($1.element.change.phase, $1.offset) }.map(\.element)
        self.notes = notes
    }

    public var isEmpty: Bool { steps.isEmpty }

    /// The plan as a diff: files as unified-style `-`/`+` lines, units as `mask`, kernel values as
    /// `old → new`, each followed by the items that asked for it.
    public var text: String {
        guard !steps.isEmpty else { return (["no changes: the system matches the policy"] + notes.map { "note: \($0)" }).joined(separator: "\n") }
        var lines: [String] = []
        for step in steps {
            let items = "  [\(step.itemIDs.joined(separator: ", "))]"
            switch step.change {
            case .file(let path, let before, _, let after, let mode, _):
                lines.append("--- \(path)\(before == nil ? " (absent)" : "")")
                lines.append("+++ \(path)\(after == nil ? " (removed)" : " (mode \(String(mode, radix: 8)))")\(items)")
                lines.append(contentsOf: LineDiff.lines(before: before.map(Self.text) ?? "", after: after.map(Self.text) ?? ""))
            case .unit(let name, let before, let wasActive):
                lines.append("unit \(name): \(before.rawValue)\(wasActive ? ", running" : "") → mask\(wasActive ? " and stop" : "")\(items)")
            case .sysctl(let key, let before, let after):
                lines.append("sysctl \(key): \(before) → \(after)\(step.change.isReversible ? "" : " (one-way until reboot)")\(items)")
            case .attribute(let path, let before, let after):
                lines.append("write \(path): \(before) → \(after) (one-way until reboot)\(items)")
            }
        }
        lines.append(contentsOf: notes.map { "note: \($0)" })
        lines.append("\(steps.count) change\(steps.count == 1 ? "" : "s")")
        return lines.joined(separator: "\n")
    }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}
