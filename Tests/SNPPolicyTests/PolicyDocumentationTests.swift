import Foundation
import SNPPolicy
import Testing

/// docs/policy.md's TOML examples are real policies.
@Suite struct PolicyDocumentationTests {
    static var documentation: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/policy.md")
    }

    @Test func theExampleParsesAndRoundTrips() throws {
        let text = try String(contentsOf: Self.documentation, encoding: .utf8)
        let blocks = text.components(separatedBy: "```toml\n").dropFirst().map {
            $0.components(separatedBy: "```")[0]
        }
        try #require(blocks.count == 1)
        let policy = try SNPVerificationPolicy(parsing: blocks[0], fileName: "policy.md")
        #expect(policy.report.minimumTCB == MinimumTCB(bootLoader: 3, tee: 0, snp: 8, microcode: 115))
        #expect(policy.report.platformInfo == [.tsmeEnabled: .require, .smtEnabled: .forbid])
        #expect(policy.trust.includesAMDRoots && policy.trust.arkFingerprints.count == 1)
        #expect(try SNPVerificationPolicy(parsing: policy.tomlText(), fileName: "shown.toml") == policy)
    }
}
