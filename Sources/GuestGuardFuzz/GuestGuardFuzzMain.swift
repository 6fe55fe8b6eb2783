// One executable for every fuzz target (docs/fuzzing.md): `GG_FUZZ_TARGET=<name>` picks the target.
//
// Built with `-sanitize=fuzzer,address -DGUESTGUARD_LIBFUZZER` (scripts/fuzz.sh), `main` hands control
// to libFuzzer's driver (`LLVMFuzzerRunDriver`), which calls the target for each input. SwiftPM
// renames an executable's entry point to `GuestGuardFuzz_main` and links `main` to it, so
// libFuzzer's own `main` is never used. Built plainly (`swift build`), `main` replays the files
// named on the command line through the same target (crash reproduction without sanitizers).
#if canImport(Glibc)
import Glibc
#endif

enum FuzzSelection {
    /// The target `GG_FUZZ_TARGET` names; exits with the list when it names none.
    static let target: FuzzTarget = {
        let name = getenv("GG_FUZZ_TARGET").map { String(cString: $0) } ?? ""
        if let target = allFuzzTargets.first(where: { $0.name == name }) { return target }
        var message = name.isEmpty ? "GG_FUZZ_TARGET is not set" : "unknown fuzz target \(name)"
        message += "; targets:\n" + allFuzzTargets.map { "  \($0.name)\t\($0.summary)" }.joined(separator: "\n") + "\n"
        _ = message.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
        exit(2)
    }()
}

/// `GuestGuardFuzz --list`: one target name per line, then a tab and what it checks.
func listTargetsIfAsked() {
    guard CommandLine.arguments.dropFirst().first == "--list" else { return }
    for target in allFuzzTargets { print("\(target.name)\t\(target.summary)") }
    exit(0)
}

/// The libFuzzer callback: runs one input through the selected target. Returns 0 as libFuzzer requires.
@_cdecl("LLVMFuzzerTestOneInput")
public func guestguardFuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    FuzzSelection.target.run(input)
    return 0
}

#if GUESTGUARD_LIBFUZZER
/// `int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size))`
/// from compiler-rt `FuzzerInterface.h`.
@_extern(c, "LLVMFuzzerRunDriver")
func llvmFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

@main
struct GuestGuardFuzzMain {
    static func main() {
        listTargetsIfAsked()
        _ = FuzzSelection.target
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(llvmFuzzerRunDriver(&argc, &argv, guestguardFuzzTestOneInput))
    }
}
#else
/// Without libFuzzer: `GG_FUZZ_TARGET=name GuestGuardFuzz FILE…` runs each file through the target.
@main
struct GuestGuardFuzzReplay {
    static func main() {
        listTargetsIfAsked()
        let paths = CommandLine.arguments.dropFirst()
        guard !paths.isEmpty else {
            print("usage: GG_FUZZ_TARGET=NAME GuestGuardFuzz FILE...  (replays inputs; GuestGuardFuzz --list names the targets)")
            exit(2)
        }
        let target = FuzzSelection.target
        var failed = false
        for path in paths {
            guard let input = readFile(path) else {
                print("error: cannot read \(path)")
                failed = true
                continue
            }
            target.run(input)
            print("ok \(target.name) \(path): \(input.count) bytes")
        }
        exit(failed ? 1 : 0)
    }
}
#endif

/// The whole file, or nil when it cannot be read.
func readFile(_ path: String) -> [UInt8]? {
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
