import SNPABI
import SNPPolicy
import Testing

/// Labelled measurements (issue 13): `measurements` takes hex strings and `{ value, label }` tables
/// side by side; the labels survive rendering; bad labels are refused at their line.
@Suite struct MeasurementLabelTests {
    static let a = String(repeating: "a1", count: 48), b = String(repeating: "b2", count: 48)

    static func policy(_ measurements: String) -> String {
        "version = 1\n[report]\nmeasurements = \(measurements)\nminimum-tcb = \"any\"\n"
    }

    @Test func labelledAndPlainValuesTogetherRoundTrip() throws {
        let text = Self.policy("[\n  \"\(Self.a)\",\n  { value = \"\(Self.b)\", label = \"kernel 6.1.0-58 (2026-12-06)\" },\n]")
        let policy = try SNPVerificationPolicy(parsing: text, fileName: "p.toml")
        #expect(policy.report.measurements == [Hex.decode(Self.a)!, Hex.decode(Self.b)!])
        #expect(policy.report.measurementLabel(for: Hex.decode(Self.b)!) == "kernel 6.1.0-58 (2026-12-06)")
        #expect(policy.report.measurementLabel(for: Hex.decode(Self.a)!) == nil)
        let again = try SNPVerificationPolicy(parsing: policy.tomlText(), fileName: "rendered.toml")
        #expect(again.report.measurements == policy.report.measurements && again.report.measurementLabels == policy.report.measurementLabels)
    }

    @Test(arguments: [
        ("[{ value = \"\(a)\", label = \"\" }]", "1…128 bytes"),
        ("[{ value = \"\(a)\", label = \"a\\u0007b\" }]", "control characters"),
        ("[{ value = \"\(a)\", lable = \"x\" }]", "lable"),
        ("[{ label = \"x\" }]", "value"),
        ("[\"\(a)\", { value = \"\(a)\", label = \"again\" }]", "not listed before"),
    ])
    func badEntriesAreRefused(measurements: String, words: String) {
        do {
            _ = try SNPVerificationPolicy(parsing: Self.policy(measurements), fileName: "p.toml")
            Issue.record("accepted \(measurements)")
        } catch {
            #expect(error.description.contains("p.toml:3:"), "\(error)")
            #expect(error.description.contains(words), "\(error)")
        }
    }

    @Test func allowRelabelAndRevoke() throws {
        var report = ReportRequirements(measurements: [Hex.decode(Self.a)!])
        report.allowMeasurement(Hex.decode(Self.b)!, label: "new")
        report.allowMeasurement(Hex.decode(Self.a)!, label: "old")
        #expect(report.measurements.count == 2 && report.measurementLabel(for: Hex.decode(Self.a)!) == "old")
        let first = report.revokeMeasurement(Hex.decode(Self.a)!), second = report.revokeMeasurement(Hex.decode(Self.a)!)
        #expect(first && !second)
        #expect(report.measurements == [Hex.decode(Self.b)!] && report.measurementLabels.count == 1)
    }
}
