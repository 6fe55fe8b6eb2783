// Fuzz target for the SNPABI parsers (docs/fuzzing.md).
//
// Built with `-sanitize=fuzzer,address -DSNPABI_LIBFUZZER` (exact command in docs/fuzzing.md), `main`
// hands control to libFuzzer's driver, which calls `LLVMFuzzerTestOneInput`. (SwiftPM renames an
// executable's entry point to `SNPABIFuzz_main` and links `main` to it, so libFuzzer's own `main`
// is never used; `LLVMFuzzerRunDriver` is libFuzzer's documented way to start it from our `main`.)
// Built plainly, `main` replays the files named on the command line through the same checks
// (crash reproduction, corpus regression) and the libFuzzer symbols are not referenced.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SNPABI

/// The libFuzzer entry point: runs one input through every parser and checks their invariants.
/// Returns 0 as libFuzzer requires; an invariant violation traps (libFuzzer saves the input).
@_cdecl("LLVMFuzzerTestOneInput")
public func snpabiFuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    FuzzChecks.run(input)
    return 0
}

enum FuzzChecks {
    static func run(_ input: [UInt8]) {
        checkReport(input)
        // Most mutated inputs miss the exact size; also try the input cut or zero-padded to 0x4A0
        // so the fuzzer spends its time past the size check.
        if input.count != AttestationReport.byteCount {
            var resized = Array(input.prefix(AttestationReport.byteCount))
            resized += [UInt8](repeating: 0, count: AttestationReport.byteCount - resized.count)
            checkReport(resized)
        }
        checkCertificateTable(input)
    }

    /// A parsed report keeps its bytes, re-serializes byte for byte, and parses the same with a hint.
    static func checkReport(_ bytes: [UInt8]) {
        guard let report = try? AttestationReport(bytes: bytes) else { return }
        precondition(report.bytes == bytes, "report bytes differ from input")
        precondition(report.serializedBytes() == bytes, "serializedBytes() differs from input")
        precondition(report.signedBytes.count == AttestationReport.signedByteCount)
        precondition([2, 3, 5].contains(report.version))
        for hint in ProcessorGeneration.allCases {
            switch Result(catching: { () throws(ReportParseError) in try AttestationReport(bytes: bytes, generationHint: hint) }) {
            case let .success(hinted):
                precondition(hinted.bytes == bytes && hinted.measurement == report.measurement)
                precondition(report.version >= 3 && report.generation != nil ? hinted.generation == report.generation : true)
            case let .failure(error):
                guard case .generationMismatch = error else { preconditionFailure("hint changed parse result: \(error)") }
            }
        }
        _ = report.reportedTCB.description
    }

    /// A parsed table's entries point at their blobs and survive serialize → parse.
    static func checkCertificateTable(_ bytes: [UInt8]) {
        guard let table = try? CertificateTable(bytes: bytes) else { return }
        for entry in table.entries {
            let start = Int(entry.offset)
            precondition(start + Int(entry.length) <= bytes.count)
            precondition(Array(bytes[start..<(start + Int(entry.length))]) == entry.data)
            precondition(start >= (table.entries.count + 1) * CertificateTable.entryByteCount)
        }
        let rebuilt = CertificateTable.serialize(table.entries.map { ($0.guid, $0.data) })
        guard let reparsed = try? CertificateTable(bytes: rebuilt) else { preconditionFailure("re-serialized table does not parse") }
        precondition(reparsed.entries.map(\.guid) == table.entries.map(\.guid))
        precondition(reparsed.entries.map(\.data) == table.entries.map(\.data))
    }
}

#if SNPABI_LIBFUZZER
/// `int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size))`
/// from compiler-rt `FuzzerInterface.h`. The corresponding C function is `LLVMFuzzerRunDriver`.
@_extern(c, "LLVMFuzzerRunDriver")
func llvmFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

@main
struct SNPABIFuzzMain {
    static func main() {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(llvmFuzzerRunDriver(&argc, &argv, snpabiFuzzTestOneInput))
    }
}
#else
/// Without libFuzzer: `SNPABIFuzz FILE…` runs each file through the fuzz checks.
@main
struct SNPABIFuzzReplay {
    static func main() {
        let paths = CommandLine.arguments.dropFirst()
        guard !paths.isEmpty else {
            print("usage: SNPABIFuzz FILE...  (replays inputs; see docs/fuzzing.md for the libFuzzer build)")
            exit(2)
        }
        var failed = false
        for path in paths {
            guard let input = readFile(path) else {
                print("error: cannot read \(path)")
                failed = true
                continue
            }
            FuzzChecks.run(input)
            let report = (try? AttestationReport(bytes: input)).map { "report v\($0.version)" } ?? "no report"
            let table = (try? CertificateTable(bytes: input)).map { "table of \($0.entries.count)" } ?? "no table"
            print("ok \(path): \(input.count) bytes, \(report), \(table)")
        }
        exit(failed ? 1 : 0)
    }

    static func readFile(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if count == 0 { break }
            result += chunk[0..<count]
        }
        return ferror(file) == 0 ? result : nil
    }
}
#endif
