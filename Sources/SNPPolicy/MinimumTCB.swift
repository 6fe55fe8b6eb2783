import SNPABI

/// Minimum security patch levels per TCB component, applied to REPORTED_TCB and optionally to
/// CURRENT_TCB, COMMITTED_TCB and LAUNCH_TCB (see ``TCBField``).
///
/// Each component below its minimum in each selected field is one violation. A component without a
/// minimum is not checked. The FMC minimum only applies to reports whose TCB layout has an FMC level
/// (Turin); on Milan and Genoa the component does not exist and is skipped. The TCB layout comes from
/// the report's processor generation: a version-2 report of unknown generation decodes with the
/// Milan/Genoa layout, as `SNPABI.TCBVersion` documents.
public struct MinimumTCB: ReportPolicy, Hashable {
    /// The minimum per component; absent components are not checked.
    public let minimums: [TCBComponent: UInt8]
    /// The TCB fields checked, in this order. Defaults to REPORTED_TCB only.
    public let fields: [TCBField]

    public init(_ minimums: [TCBComponent: UInt8], fields: [TCBField] = [.reported]) {
        self.minimums = minimums
        self.fields = fields
    }

    public init(
        bootLoader: UInt8? = nil, tee: UInt8? = nil, snp: UInt8? = nil, microcode: UInt8? = nil, fmc: UInt8? = nil,
        fields: [TCBField] = [.reported]
    ) {
        let pairs: [(TCBComponent, UInt8?)] = [
            (.bootLoader, bootLoader), (.tee, tee), (.snp, snp), (.microcode, microcode), (.fmc, fmc),
        ]
        var minimums: [TCBComponent: UInt8] = [:]
        for case let (component, value?) in pairs { minimums[component] = value }
        self.init(minimums, fields: fields)
    }

    public func evaluate(_ report: AttestationReport) -> [PolicyViolation] {
        var violations: [PolicyViolation] = []
        for field in fields {
            let tcb = field.value(in: report)
            for component in TCBComponent.allCases {
                guard let minimum = minimums[component], let actual = component.value(in: tcb), actual < minimum
                else { continue }
                violations.append(PolicyViolation(
                    check: .minimumTCB,
                    field: ReportField(name: "\(field.specName).\(component.specName)", offset: field.offset),
                    expected: ">= \(minimum)", actual: String(actual),
                    reason: "the \(component.specName) security patch level in \(field.specName) is below the minimum"))
            }
        }
        return violations
    }
}
