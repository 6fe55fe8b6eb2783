import Foundation
import GuestGuardPlatform
import GuestGuardTestSupport
import SNPABI

/// The real report and VCEK from Fixtures/, and the report generator and certificate table the
/// fakes use in the fetch tests.
enum AttestationFixtures {
    static func bytes(_ name: String) -> [UInt8] {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"),
              let data = try? Data(contentsOf: url) else { fatalError("missing fixture \(name)") }
        return [UInt8](data)
    }

    /// go-sev-guest's Milan report (1184 bytes).
    static let report = bytes("attestation.bin")
    /// Its DER VCEK.
    static let vcek = bytes("vcek.testcer")

    /// The fake firmware: the real report with the request's VMPL and REPORT_DATA stamped in.
    static let firmware = SyntheticReport.generator(template: report)

    /// A host certificate table holding the real VCEK.
    static let certificateTable = CertificateTable.serialize([(GUID.vcek, vcek)])

    /// 64 distinct bytes, different per `seed`.
    static func reportData(_ seed: UInt8 = 1) -> [UInt8] { (0..<64).map { UInt8(truncatingIfNeeded: Int($0) &* 3 &+ Int(seed)) } }

    /// A retry policy with small, distinct delays so the recorded sleeps identify each step.
    static let fastRetry = RetryPolicy(attempts: 4, initialDelay: .microseconds(1), maximumDelay: .microseconds(3))

    /// True when `path` exists on this machine (the real-interface tests expect a non-SNP host).
    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }
}
