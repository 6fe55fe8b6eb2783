import SNPABI

/// MEASUREMENT (0x090, 48 bytes) must be one of the allowed launch digests.
///
/// An empty list allows nothing: every report violates it (fail closed).
public struct MeasurementAllowList: ReportPolicy, Hashable {
    /// The allowed SHA-384 launch digests, 48 bytes each.
    public let measurements: [[UInt8]]
    /// Labels of allowed values, shown next to them in a violation.
    public let labels: [[UInt8]: String]

    public init(_ measurements: [[UInt8]], labels: [[UInt8]: String] = [:]) {
        precondition(measurements.allSatisfy { $0.count == 48 }, "a MEASUREMENT is 48 bytes")
        self.measurements = measurements
        self.labels = labels
    }

    public func evaluate(_ report: AttestationReport) -> [PolicyViolation] {
        if measurements.contains(report.measurement) { return [] }
        let expected = measurements.isEmpty ? "nothing (empty allow-list)" : oneOf(measurements.map { Hex.encode($0) + (labels[$0].map { " (\($0))" } ?? "") })
        return [PolicyViolation(
            check: .measurement, field: .measurement, expected: expected, actual: Hex.encode(report.measurement),
            reason: "the launch measurement is not in the allow-list")]
    }
}

/// `x`, or `one of x, y, z`.
func oneOf(_ items: [String]) -> String {
    items.count == 1 ? items[0] : "one of " + items.joined(separator: ", ")
}
