import ArgumentParser
import GuestGuardAppraisal
import GuestGuardBoot
import GuestGuardCrypto
import GuestGuardPlatform
import GuestGuardLinux
import SNPABI
import SNPPolicy

extension GuestGuard {
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify an SNP attestation report as a tenant: AMD chain, signature, bindings, policy.",
            discussion: """
                Checks ARK → ASK/ASVK → VCEK/VLEK (RSASSA-PSS SHA-384), the report's ECDSA P-384 signature, the \
                VEK's TCB and hwID extensions against the report, validity at --at (default now), and every rule \
                of --policy. Prints each check as PASS or FAIL and every policy violation; exits 0 only when all \
                pass. Without a policy only AMD's built-in roots are trusted and no report rule is applied. \
                Certificates: --certs DIR (vcek.der or vlek.der, and optionally ask.der, ark.der, as `guestguard \
                report --certs` writes them) or --vcek FILE. With --posture URL instead of a report file: fetch \
                URL/v1/attestation with a fresh nonce from a `guestguard serve` daemon and also check the nonce, the \
                REPORT_DATA binding of the posture document (docs/serve.md) and that the posture is ok.
                """
        )

        @Argument(help: "The raw report (0x4A0 bytes).")
        var report: String?

        @OptionGroup var posture: PostureVerifyOptions

        @Option(help: ArgumentHelp("Directory with vcek.der|vlek.der, ask.der, ark.der (DER or PEM).", valueName: "DIR"))
        var certs: String?

        @Option(help: ArgumentHelp("The VCEK or VLEK certificate (DER or PEM).", valueName: "FILE"))
        var vcek: String?

        @Option(help: ArgumentHelp("Verification policy (docs/policy.md).", valueName: "FILE"))
        var policy: String?

        @Option(help: ArgumentHelp("Check certificate validity at this RFC 3339 time instead of now.", valueName: "TIME"))
        var at: String?

        @Flag(help: "Print the guestguard.verify/v1 JSON document.")
        var json = false

        func validate() throws {
            guard (report == nil) != (posture.url == nil) else { throw ValidationError("give a report file or --posture URL, not both or neither") }
            try posture.validate()
            guard posture.url != nil || certs != nil || vcek != nil else {
                throw ValidationError("give --certs DIR or --vcek FILE (the VCEK comes with an extended report, or from AMD's KDS: `guestguard fetch vcek REPORT`)")
            }
            if let at, RFC3339.parse(at) == nil { throw ValidationError("--at: \(String(reflecting: at)) is not an RFC 3339 time") }
        }

        func run() async throws {
            let time = at.flatMap(RFC3339.parse)?.seconds ?? SystemClock().now().seconds
            if let url = posture.url { return try await verifyPosture(url: url, at: time) }
            let reportBytes = try CLIFiles.read(report!, option: "report", limit: 64 * 1024)
            let verificationPolicy = try policy.map(Self.loadPolicy)
            let roots = try (verificationPolicy?.trust.arkCertificatePaths ?? []).map { try Self.certificate(at: $0, option: "policy root") }
            var vek = try vcek.map { try Self.certificate(at: $0, option: "--vcek").derBytes }
            var intermediate: [UInt8]?
            var ark: [UInt8]?
            if let certs {
                vek = try vek ?? Self.optionalCertificate(certs, ["vcek.der", "vlek.der", "vcek.pem", "vlek.pem"])
                intermediate = try Self.optionalCertificate(certs, ["ask.der", "asvk.der", "ask.pem"])
                ark = try Self.optionalCertificate(certs, ["ark.der", "ark.pem"])
            }
            let appraiser = try Self.appraiser(policy: verificationPolicy, roots: roots)
            let result = appraiser.appraise(AttestationEvidence(report: reportBytes, vek: vek, intermediate: intermediate, ark: ark), at: time)
            if json {
                try Output.json(result.json)
            } else {
                result.report?.tenantSummaryLines.forEach { print($0) }
                result.lines.forEach { print($0) }
                if let report = result.report, let label = verificationPolicy?.report.measurementLabel(for: report.measurement) {
                    print("measurement allowed as: \(label)")
                }
                if verificationPolicy == nil { print("note: no --policy: measurement, TCB and debug rules were not checked") }
                print(result.passed ? "VERIFIED" : "NOT VERIFIED")
            }
            if !result.passed { throw ExitCode(1) }
        }

        static func appraiser(policy: SNPVerificationPolicy?, roots: [X509Certificate]) throws -> ReportAppraiser {
            do { return try ReportAppraiser(policy: policy, configuredRoots: roots) } catch {
                throw CLIError(message: "cannot set up verification", causes: [error.description])
            }
        }

        static func loadPolicy(_ path: String) throws -> SNPVerificationPolicy {
            let bytes = try CLIFiles.read(path, option: "--policy", limit: 1 << 20)
            do { return try SNPVerificationPolicy(parsing: String(decoding: bytes, as: UTF8.self), fileName: path) } catch {
                throw CLIError(message: "bad policy file", causes: [error.description])
            }
        }

        static func certificate(at path: String, option: String) throws -> X509Certificate {
            let bytes = try CLIFiles.read(path, option: option, limit: 1 << 20)
            do {
                if bytes.starts(with: Array("-----BEGIN".utf8)) {
                    let all = try X509Certificate.certificates(pemEncoded: String(decoding: bytes, as: UTF8.self))
                    guard all.count == 1 else { throw CLIError(message: "\(option) \(path): expected one certificate, found \(all.count)") }
                    return all[0]
                }
                return try X509Certificate(derEncoded: bytes)
            } catch let error as CLIError {
                throw error
            } catch {
                throw CLIError(message: "\(option) \(path): not a certificate", causes: ["\(error)"])
            }
        }

        static func optionalCertificate(_ directory: String, _ names: [String]) throws -> [UInt8]? {
            for name in names where CLIFiles.files.exists(CLIFiles.absolute("\(directory)/\(name)")) {
                return try certificate(at: "\(directory)/\(name)", option: "--certs").derBytes
            }
            return nil
        }
    }
}
