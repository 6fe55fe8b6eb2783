// snp-verify-bench: SEV-SNP report verifications per second over the real vectors, with the
// VEK chain cached (one ECDSA P-384 verification per report) and uncached (plus the VEK parse
// and its RSA-PSS signature). Run by bench/verify.sh; timings live only there.
//
//   snp-verify-bench [fixtures-dir] [seconds-per-mode]
import Glibc
import GuestGuardCrypto
import SNPABI
import SNPVerifier

/// Writes `message` to standard error and exits with `status`.
func fail(_ message: String, status: Int32) -> Never {
    let bytes = Array("snp-verify-bench: \(message)\n".utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(status)
}

/// Reads a whole file, or exits.
func readFile(_ path: String) -> [UInt8] {
    guard let file = fopen(path, "rb") else { fail("cannot open \(path)", status: 2) }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let count = fread(&buffer, 1, buffer.count, file)
        if count <= 0 { break }
        bytes.append(contentsOf: buffer.prefix(count))
    }
    return bytes
}

/// Decodes hex text (virtee's report_milan.hex), ignoring whitespace.
func decodeHex(_ text: [UInt8]) -> [UInt8] {
    let digits = text.filter { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D) }
    return stride(from: 0, to: digits.count - 1, by: 2).map { index in
        UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) ?? 0
    }
}

let arguments = CommandLine.arguments
let fixtures = arguments.count > 1 ? arguments[1] : "Tests/SNPVerifierTests/Fixtures"
let secondsPerMode = arguments.count > 2 ? Double(arguments[2]) ?? 5 : 5
/// 2025-06-01T00:00:00Z: inside every vector's validity.
let time: Int64 = 1_748_736_000

let vectorFiles = [
    ("go-sev-guest/attestation.bin", "go-sev-guest/vcek.testcer"),
    ("virtee-sev/report_milan.hex", "virtee-sev/vcek_milan.der"),
    ("trustee/test-report.bin", "trustee/test-vcek.der"),
    ("trustee/test-vlek-report.bin", "trustee/test-vlek.der"),
    ("trustee/e2e-report-v3-genoa.reconstructed.bin", "trustee/e2e-vcek-genoa.der"),
]
var vectors: [(report: AttestationReport, vek: [UInt8])] = []
for (reportFile, vekFile) in vectorFiles {
    var bytes = readFile("\(fixtures)/\(reportFile)")
    if reportFile.hasSuffix(".hex") { bytes = decodeHex(bytes) }
    do {
        vectors.append((try AttestationReport(bytes: bytes), readFile("\(fixtures)/\(vekFile)")))
    } catch {
        fail("\(reportFile): \(error)", status: 2)
    }
}

/// Verifies the vectors round-robin for `seconds`; returns verifications per second.
func measure(
    _ verifier: SNPReportVerifier, vectors: [(report: AttestationReport, vek: [UInt8])], at time: Int64, seconds: Double
) -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    let budget = Duration.milliseconds(Int64(seconds * 1000))
    var count = 0
    while clock.now - start < budget {
        for vector in vectors {
            do {
                let result = try verifier.verify(report: vector.report, vekDER: vector.vek, at: time)
                guard result.isVerified else { fail("vector failed verification:\n\(result)", status: 1) }
            } catch {
                fail("\(error)", status: 1)
            }
            count += 1
        }
    }
    let elapsed = clock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return Double(count) / seconds
}

/// The floor under the cached path: our ECDSA wrapper alone over the same reports.
func measureSignatureOnly(vectors: [(report: AttestationReport, vek: [UInt8])], seconds: Double) throws -> Double {
    let keyed = try vectors.map { vector in
        let key = try X509Certificate(derEncoded: vector.vek).publicKey()
        let signature = try ECDSASignature(rBigEndian: vector.report.signature.rBigEndian, sBigEndian: vector.report.signature.sBigEndian)
        return (key, signature, vector.report.signedBytes)
    }
    let clock = ContinuousClock()
    let start = clock.now
    var count = 0
    while clock.now - start < .milliseconds(Int64(seconds * 1000)) {
        for (key, signature, message) in keyed {
            guard try key.isValidP384SHA384Signature(signature, over: message) else { fail("signature did not verify", status: 1) }
            count += 1
        }
    }
    let elapsed = clock.now - start
    return Double(count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
}

do {
    let cached = try SNPReportVerifier()
    let uncached = try SNPReportVerifier(chainCacheCapacity: 0)
    _ = measure(cached, vectors: vectors, at: time, seconds: 0.2)  // warm up: fill the cache, fault in code
    let cachedRate = measure(cached, vectors: vectors, at: time, seconds: secondsPerMode)
    let uncachedRate = measure(uncached, vectors: vectors, at: time, seconds: secondsPerMode)
    print("vectors: \(vectors.count) (all verified)")
    print("cached: \(Int(cachedRate.rounded())) verifications/s")
    print("uncached: \(Int(uncachedRate.rounded())) verifications/s")
    let signatureRate = try measureSignatureOnly(vectors: vectors, seconds: secondsPerMode / 2)
    print("report signature only (ECDSA P-384 over 0x2A0 bytes): \(Int(signatureRate.rounded())) verifications/s")
} catch {
    fail("trust store: \(error)", status: 2)
}
