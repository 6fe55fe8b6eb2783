import Foundation

/// Loads files from `Fixtures/` (copied verbatim from /work/shared/fixtures/snp; see Fixtures/README.md).
enum Fixture {
    static func url(_ path: String) -> URL {
        guard let base = Bundle.module.resourceURL else { fatalError("SNPABITests bundle has no resources") }
        return base.appendingPathComponent("Fixtures").appendingPathComponent(path)
    }

    static func bytes(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url(path)))
    }

    /// Hex text (virtee-sev `report_milan.hex`): upper- or lower-case digits, whitespace ignored.
    static func hexFile(_ path: String) throws -> [UInt8] {
        let text = try String(contentsOf: url(path), encoding: .ascii).filter { !$0.isWhitespace }
        return try hex(text)
    }

    struct BadHex: Error { let text: String }

    static func hex(_ text: String) throws -> [UInt8] {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { throw BadHex(text: text) }
        var result: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else {
                throw BadHex(text: text)
            }
            result.append(byte)
        }
        return result
    }

    /// The DER of the first certificate in a PEM file.
    static func pemCertificate(_ path: String) throws -> [UInt8] {
        let text = try String(contentsOf: url(path), encoding: .ascii)
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let begin = lines.firstIndex(of: "-----BEGIN CERTIFICATE-----"),
              let end = lines[begin...].firstIndex(of: "-----END CERTIFICATE-----"),
              let der = Data(base64Encoded: lines[(begin + 1)..<end].joined())
        else { throw BadHex(text: path) }
        return [UInt8](der)
    }
}

/// The five real report vectors of /work/shared/fixtures/snp/README.md, by table row.
enum ReportVector: String, CaseIterable, CustomStringConvertible, Sendable {
    case goSEVGuestMilan = "go-sev-guest/attestation.bin"
    case virteeMilan = "virtee-sev/report_milan.hex"
    case trusteeMilan = "trustee/test-report.bin"
    case trusteeVLEKMilan = "trustee/test-vlek-report.bin"
    case trusteeGenoaV3 = "trustee/e2e-report-v3-genoa.reconstructed.bin"

    var description: String { rawValue }

    func load() throws -> [UInt8] {
        rawValue.hasSuffix(".hex") ? try Fixture.hexFile(rawValue) : try Fixture.bytes(rawValue)
    }
}
