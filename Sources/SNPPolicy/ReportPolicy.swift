import SNPABI

/// One check over a parsed attestation report.
///
/// A policy returns what is wrong instead of throwing at the first mismatch (swift-certificates'
/// `VerifierPolicy` style): compose policies with ``ReportPolicySet`` and every violation of every
/// check is reported together.
public protocol ReportPolicy: Sendable {
    /// Every way `report` fails this check; empty when it passes.
    func evaluate(_ report: AttestationReport) -> [PolicyViolation]
}

extension ReportPolicy {
    /// Runs the check and wraps the result.
    public func check(_ report: AttestationReport) -> PolicyEvaluation {
        PolicyEvaluation(violations: evaluate(report))
    }
}

/// The result of checking a report: every violation, in the order the checks ran.
public struct PolicyEvaluation: Sendable, Hashable, CustomStringConvertible {
    public let violations: [PolicyViolation]

    public init(violations: [PolicyViolation]) {
        self.violations = violations
    }

    /// True when no check found a violation.
    public var isSatisfied: Bool { violations.isEmpty }

    /// "satisfied", or "N violations" followed by one violation per line.
    public var description: String {
        if violations.isEmpty { return "satisfied" }
        let count = violations.count == 1 ? "1 violation" : "\(violations.count) violations"
        return ([count] + violations.map { "  \($0)" }).joined(separator: "\n")
    }
}

/// Several policies run as one: the violations of all of them, in order. A set is itself a
/// ``ReportPolicy``, so sets nest (a tenant's file-based policy plus the broker's nonce check).
public struct ReportPolicySet: ReportPolicy {
    public let policies: [any ReportPolicy]

    public init(_ policies: [any ReportPolicy]) {
        self.policies = policies
    }

    public init(@ReportPolicyBuilder _ build: () -> [any ReportPolicy]) {
        self.policies = build()
    }

    public func evaluate(_ report: AttestationReport) -> [PolicyViolation] {
        policies.flatMap { $0.evaluate(report) }
    }
}

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

/// SNPPolicy: composable checks over a parsed `AttestationReport` that return every violation, and the
/// versioned SNP verification policy file (`docs/policy.md`) that configures them.
///
/// - ``ReportPolicy`` is one check; ``ReportPolicySet`` composes checks with ``ReportPolicyBuilder``.
/// - ``ReportPolicy/check(_:)`` returns a ``PolicyEvaluation`` listing all ``PolicyViolation``s.
/// - ``SNPVerificationPolicy`` is the policy file: ``SNPVerificationPolicy/init(parsing:fileName:)``,
///   ``SNPVerificationPolicy/tomlText()`` and ``SNPVerificationPolicy/reportPolicy``.
///
/// Nothing here verifies signatures or certificates: run these checks on a report whose signature and
/// VCEK/VLEK chain the verifier has already checked.
public enum SNPPolicyModule {}

/// One way a report fails a policy: which check, which report field, what was expected and what the
/// report holds (bytes in lower-case hex), and a sentence for humans.
public struct PolicyViolation: Sendable, Hashable, CustomStringConvertible {
    public let check: PolicyCheck
    public let field: ReportField
    /// What the policy accepts: `0`, `>= 8`, `one of 0, 1`, 96 hex digits, ….
    public let expected: String
    /// What the report holds, in the same notation.
    public let actual: String
    /// Why this matters, in one sentence without a final period.
    public let reason: String

    public init(check: PolicyCheck, field: ReportField, expected: String, actual: String, reason: String) {
        self.check = check
        self.field = field
        self.expected = expected
        self.actual = actual
        self.reason = reason
    }

    /// `debug: POLICY.DEBUG (0x008 bit 19): the guest policy lets the host debug …; expected 0, found 1`.
    public var description: String {
        "\(check): \(field): \(reason); expected \(expected), found \(actual)"
    }
}

/// Which check found a violation. The raw values are the policy-file keys that configure the checks
/// (`docs/policy.md`), so a message points a tenant at the line to change.
public enum PolicyCheck: RawRepresentable, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case measurement
    case minimumTCB
    case debug
    case migrationAgent
    case smt
    case singleSocket
    case vmpl
    /// A byte field that must hold an exact value (``ExpectedBytes``): the check is named as the
    /// field's policy-file key, so the field names are listed once, in ``ReportBytesField``.
    case expectedBytes(ReportBytesField)
    case minimumGuestSVN
    case minimumFirmware
    case minimumABI
    case platformInfo

    public static let reportData = PolicyCheck.expectedBytes(.reportData)
    public static let hostData = PolicyCheck.expectedBytes(.hostData)
    public static let familyID = PolicyCheck.expectedBytes(.familyID)
    public static let imageID = PolicyCheck.expectedBytes(.imageID)
    public static let idKeyDigest = PolicyCheck.expectedBytes(.idKeyDigest)
    public static let authorKeyDigest = PolicyCheck.expectedBytes(.authorKeyDigest)

    public static let allCases: [PolicyCheck] =
        [.measurement, .minimumTCB, .debug, .migrationAgent, .smt, .singleSocket, .vmpl]
        + ReportBytesField.allCases.map(PolicyCheck.expectedBytes)
        + [.minimumGuestSVN, .minimumFirmware, .minimumABI, .platformInfo]

    /// The name in violations, audit lines and metrics labels.
    public var rawValue: String {
        switch self {
        case .measurement: "measurements"
        case .minimumTCB: "minimum-tcb"
        case .debug: "debug"
        case .migrationAgent: "migration-agent"
        case .smt: "smt"
        case .singleSocket: "single-socket"
        case .vmpl: "vmpl"
        case .expectedBytes(let field): field.rawValue
        case .minimumGuestSVN: "minimum-guest-svn"
        case .minimumFirmware: "minimum-firmware"
        case .minimumABI: "minimum-abi"
        case .platformInfo: "platform-info"
        }
    }

    public init?(rawValue: String) {
        guard let check = Self.allCases.first(where: { $0.rawValue == rawValue }) else { return nil }
        self = check
    }

    public var description: String { rawValue }
}
