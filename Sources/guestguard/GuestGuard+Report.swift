import ArgumentParser
import GuestGuardBoot
import GuestGuardCrypto
import GuestGuardPlatform
import SNPABI

extension GuestGuard {
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fetch an SNP attestation report (and its certificates) from the secure processor.",
            discussion: """
                REPORT_DATA is either given (--report-data, up to 64 bytes, zero-padded) or derived from a \
                nonce (--nonce: REPORT_DATA = SHA-512(nonce)). The report is written raw (0x4A0 bytes). \
                With --certs DIR the extended report's certificates are written as DIR/{ark,ask,vcek,vlek}.der \
                when the host supplied them. Reports come from configfs-tsm, then /dev/sev-guest; \
                --simulator DIR uses the simulated secure processor instead.
                """
        )

        @Option(help: ArgumentHelp("A verifier's nonce (hex); REPORT_DATA = SHA-512(nonce).", valueName: "HEX"))
        var nonce: String?

        @Option(name: .customLong("report-data"), help: ArgumentHelp("REPORT_DATA itself (hex, up to 64 bytes, zero-padded).", valueName: "HEX"))
        var reportData: String?

        @Option(help: "The VMPL to request (0–3); must not be below the VMPL the guest runs at.")
        var vmpl: UInt32 = 0

        @Option(help: ArgumentHelp("Where to write the raw report.", valueName: "FILE"))
        var out: String = "report.bin"

        @Option(help: ArgumentHelp("Write the certificates from the extended report into DIR.", valueName: "DIR"))
        var certs: String?

        @OptionGroup var source: ReportSourceOptions

        func validate() throws {
            guard (nonce == nil) != (reportData == nil) else { throw ValidationError("give exactly one of --nonce and --report-data") }
            guard vmpl <= 3 else { throw ValidationError("--vmpl must be 0–3") }
        }

        func run() async throws {
            let data: [UInt8]
            if let nonce {
                let bytes = try HexArgument.decode(nonce, option: "--nonce", count: 1...4096)
                data = try HashFunction.sha512.hash(bytes)
            } else {
                let bytes = try HexArgument.decode(reportData!, option: "--report-data", count: 0...64)
                data = bytes + [UInt8](repeating: 0, count: 64 - bytes.count)
            }
            let provider = try source.provider()
            let raw: RawAttestation
            do { raw = try provider.attestationReport(reportData: data, vmpl: vmpl) } catch {
                throw CLIError(message: "no attestation report", causes: [error.description])
            }
            let report: AttestationReport
            do { report = try AttestationReport(bytes: raw.report) } catch {
                throw CLIError(message: "the secure processor returned a malformed report", causes: [error.description])
            }
            try CLIFiles.write(out, raw.report)
            print("report: \(out) (\(raw.provider), version \(report.version), VMPL \(report.vmpl))")
            print("measurement: \(HexArgument.encode(report.measurement))")
            print("report data: \(HexArgument.encode(report.reportData))")
            if let certs {
                guard let certificates = raw.certificates, !certificates.isEmpty else {
                    print("certificates: none supplied by the host (fetch the VCEK from AMD's KDS)")
                    return
                }
                let table: CertificateTable
                do { table = try CertificateTable(bytes: certificates) } catch {
                    throw CLIError(message: "the host's certificate table is malformed", causes: [error.description])
                }
                try CLIFiles.makeDirectory(certs)
                var written: [String] = []
                for (kind, name) in [(CertificateKind.ark, "ark"), (.ask, "ask"), (.vcek, "vcek"), (.vlek, "vlek")] {
                    guard let der = table.certificate(kind) else { continue }
                    try CLIFiles.write("\(certs)/\(name).der", der)
                    written.append("\(name).der")
                }
                print("certificates: \(certs)/{\(written.joined(separator: ","))}")
            }
        }
    }
}
