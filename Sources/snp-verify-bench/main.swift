// snp-verify-bench: SEV-SNP report verifications per second over the real vectors, with the
// VEK chain cached (one ECDSA P-384 verification per report) and uncached (plus the VEK parse
// and its RSA-PSS signature). Run by bench/verify.sh; timings live only there.
//
//   snp-verify-bench [fixtures-dir] [seconds-per-mode]
import Glibc
import GuestGuardCrypto
import P384ECDSA
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

/// Process CPU time in seconds (`clock_gettime(CLOCK_PROCESS_CPUTIME_ID)`): what an operation costs on a
/// shared machine, where wall-clock rates depend on the neighbours.
func cpuSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

/// Runs `operation` over every vector for `seconds` of wall time; returns operations per wall second and CPU µs
/// per operation.
func measureOperation<Prepared>(
    _ prepared: [Prepared], seconds: Double, _ operation: (Prepared) throws -> Void
) rethrows -> (rate: Double, cpuMicroseconds: Double) {
    let clock = ContinuousClock()
    let start = clock.now
    let cpuStart = cpuSeconds()
    var count = 0
    while clock.now - start < .milliseconds(Int64(seconds * 1000)) {
        for item in prepared {
            try operation(item)
            count += 1
        }
    }
    let cpu = cpuSeconds() - cpuStart
    let elapsed = clock.now - start
    let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return (Double(count) / wall, cpu / Double(count) * 1e6)
}

/// The floor under the cached path, per implementation over the same reports: nettle (P384ECDSA, what
/// SNPReportVerifier uses: SHA-384 by OpenSSL, then `ecdsa_verify`) and OpenSSL's `EVP_DigestVerify` (the
/// differential peer, the production verifier before issue 15); and the per-VEK import the chain cache saves
/// (OpenSSL's coordinates, then nettle's `ecc_point_set`).
func measureSignatureOnly(vectors: [(report: AttestationReport, vek: [UInt8])], seconds: Double) throws {
    let keyed = try vectors.map { vector in
        let key = try X509Certificate(derEncoded: vector.vek).publicKey()
        let (x, y) = try key.p384Coordinates()
        let signature = try ECDSASignature(rBigEndian: vector.report.signature.rBigEndian, sBigEndian: vector.report.signature.sBigEndian)
        return (key: key, point: try P384ECDSAPublicKey(x: x, y: y), signature: signature, message: vector.report.signedBytes)
    }
    let nettle = try measureOperation(keyed, seconds: seconds) { item in
        let digest = try HashFunction.sha384.hash(item.message)
        guard try item.point.isValidSignature(digest: digest, r: item.signature.r, s: item.signature.s) else {
            fail("signature did not verify (nettle)", status: 1)
        }
    }
    let openSSL = try measureOperation(keyed, seconds: seconds) { item in
        guard try item.key.isValidP384SHA384Signature(item.signature, over: item.message) else {
            fail("signature did not verify (OpenSSL)", status: 1)
        }
    }
    let keyImport = try measureOperation(keyed, seconds: seconds / 4) { item in
        let (x, y) = try item.key.p384Coordinates()
        _ = try P384ECDSAPublicKey(x: x, y: y)
    }
    func line(_ name: String, _ figures: (rate: Double, cpuMicroseconds: Double)) -> String {
        let tenths = Int((figures.cpuMicroseconds * 10).rounded())
        return "\(name): \(Int(figures.rate.rounded())) /s, \(tenths / 10).\(tenths % 10) µs CPU each"
    }
    print(line("report signature only, nettle (ECDSA P-384 over 0x2A0 bytes)", nettle))
    print(line("report signature only, OpenSSL (ECDSA P-384 over 0x2A0 bytes)", openSSL))
    print(line("VEK point import (OpenSSL coordinates + nettle ecc_point_set, cached per chain)", keyImport))
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
    try measureSignatureOnly(vectors: vectors, seconds: secondsPerMode / 2)
} catch {
    fail("trust store: \(error)", status: 2)
}
