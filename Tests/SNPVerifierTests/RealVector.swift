import SNPABI
import SNPVerifier
import Testing

/// The five positive vectors of /work/shared/fixtures/snp/README.md.
struct RealVector: Sendable, CustomTestStringConvertible {
    let report: String
    let vek: String
    let generation: ProcessorGeneration
    let signer: SigningKey

    var testDescription: String { report }

    static let all: [RealVector] = [
        .init(report: "go-sev-guest/attestation.bin", vek: "go-sev-guest/vcek.testcer", generation: .milan, signer: .vcek),
        .init(report: "virtee-sev/report_milan.hex", vek: "virtee-sev/vcek_milan.der", generation: .milan, signer: .vcek),
        .init(report: "trustee/test-report.bin", vek: "trustee/test-vcek.der", generation: .milan, signer: .vcek),
        .init(report: "trustee/test-vlek-report.bin", vek: "trustee/test-vlek.der", generation: .milan, signer: .vlek),
        .init(report: "trustee/e2e-report-v3-genoa.reconstructed.bin", vek: "trustee/e2e-vcek-genoa.der", generation: .genoa, signer: .vcek),
    ]
}

/// The shared AMD-rooted verifier (the trust store loads once per process).
func amdVerifier(cacheCapacity: Int = 1024) throws -> SNPReportVerifier {
    try SNPReportVerifier(chainCacheCapacity: cacheCapacity)
}

extension VerificationResult {
    /// The names of the failed checks, as a set (what negative tests compare).
    var failedChecks: Set<SNPCheck> { Set(failures.map(\.check)) }
}
