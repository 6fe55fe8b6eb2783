import GuestGuardCore
import CanonicalJSON

extension PostureItem {
    /// The standard evaluation of a channel item: its rules, the named processes, and whatever
    /// `extra` adds (mounts, credentials, …).
    func evaluateRules(_ context: PostureContext, processes: [String] = [], extra: (inout RuleCheck) -> Void = { _ in }) -> PostureFinding {
        var check = RuleCheck(rules, processes: processes, context: context)
        extra(&check)
        if !check.notes.isEmpty { check.details["notes"] = .array(check.notes.map { .string($0) }) }
        if !check.failures.isEmpty { return finding(.fail, check.failures.joined(separator: "; "), check.details) }
        if !check.unknowns.isEmpty { return finding(.unknown, check.unknowns.joined(separator: "; "), check.details) }
        if !check.warnings.isEmpty { return finding(.warn, check.warnings.joined(separator: "; "), check.details) }
        let absent = check.notes.isEmpty ? "" : " (\(check.notes.joined(separator: ", ")))"
        return finding(.ok, "denied\(absent)", check.details)
    }
}
