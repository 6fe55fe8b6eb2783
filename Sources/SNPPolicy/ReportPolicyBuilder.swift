/// Builds a list of policies from a block: `ReportPolicySet { DebugForbidden(); if strict { SMTForbidden() } }`.
@resultBuilder
public enum ReportPolicyBuilder {
    public static func buildExpression(_ policy: some ReportPolicy) -> [any ReportPolicy] {
        [policy]
    }

    public static func buildExpression(_ policies: [any ReportPolicy]) -> [any ReportPolicy] {
        policies
    }

    public static func buildBlock(_ parts: [any ReportPolicy]...) -> [any ReportPolicy] {
        parts.flatMap { $0 }
    }

    public static func buildOptional(_ part: [any ReportPolicy]?) -> [any ReportPolicy] {
        part ?? []
    }

    public static func buildEither(first part: [any ReportPolicy]) -> [any ReportPolicy] {
        part
    }

    public static func buildEither(second part: [any ReportPolicy]) -> [any ReportPolicy] {
        part
    }

    public static func buildArray(_ parts: [[any ReportPolicy]]) -> [any ReportPolicy] {
        parts.flatMap { $0 }
    }
}
