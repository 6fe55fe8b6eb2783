/// The violation of a one-bit requirement, or nil when `actual == required`.
func bitViolation(
    _ check: PolicyCheck, _ field: ReportField, required: Bool, actual: Bool, reason: String
) -> PolicyViolation? {
    guard actual != required else { return nil }
    return PolicyViolation(
        check: check, field: field, expected: required ? "1" : "0", actual: actual ? "1" : "0", reason: reason)
}
