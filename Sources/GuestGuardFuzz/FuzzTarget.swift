/// One fuzz target: a name for `GG_FUZZ_TARGET` and `scripts/fuzz.sh`, and the function that runs
/// one input through a parser and checks its invariants. A violated invariant traps
/// (`fuzzCheck`), so libFuzzer saves the input as `crash-…`.
struct FuzzTarget: Sendable {
    let name: String
    let summary: String
    let run: @Sendable ([UInt8]) -> Void
}

/// Every target, in the order `scripts/fuzz.sh --all` runs them (docs/fuzzing.md lists what each checks).
let allFuzzTargets: [FuzzTarget] = [
    SNPABITargets.report, SNPABITargets.certificateTable,
    KBSTargets.json, JWETarget.target,
    HTTPTargets.server, HTTPTargets.client,
    LUKS2Target.target, TOMLTargets.config, TPMTarget.target, X509Target.target, CRLTarget.target,
    DifferentialTargets.canonicalJSON, DifferentialTargets.toml, DifferentialTargets.report, DifferentialTargets.base64,
    P384ECDSATarget.target,
]

/// A fuzz invariant: traps with `message` when `condition` is false (in every build mode).
@inline(__always)
func fuzzCheck(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("fuzz invariant: \(message())") }
}

/// Splits an input into `count` parts: the first `count - 1` bytes give the relative part lengths,
/// so the fuzzer can move every boundary by mutating one byte.
func fuzzParts(_ input: [UInt8], count: Int) -> [[UInt8]] {
    guard input.count > count else { return [input] + Array(repeating: [], count: count - 1) }
    let weights = input.prefix(count - 1).map { Int($0) + 1 }
    let rest = Array(input.dropFirst(count - 1))
    var parts: [[UInt8]] = []
    var start = 0
    let total = weights.reduce(0, +) + 256
    for weight in weights {
        let length = rest.count * weight / total
        parts.append(Array(rest[start..<min(rest.count, start + length)]))
        start = min(rest.count, start + length)
    }
    parts.append(Array(rest[start...]))
    return parts
}
