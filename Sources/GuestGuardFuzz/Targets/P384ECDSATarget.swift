import GuestGuardTestSupport
import SNPABI

/// nettle's ECDSA P-384 verify (P384ECDSA, the broker's report-signature check) against libcrypto's on the same
/// question (`P384Differential`): the verdicts (point refused / valid / invalid) must be equal, and neither may fail
/// otherwise. The first byte picks how the rest (x ‖ y ‖ digest ‖ r ‖ s, 48 bytes each, zero-padded) is used:
///   0 mod 4: as is (nearly always a point off the curve);
///   1: digest ‖ r ‖ s under the real VCEK of go-sev-guest's report;
///   2: XORed onto that real report's question (all zero: the valid signature);
///   3: one of the named edge cases of that question (`P384Differential.Mutation`, picked by the second byte, its
///      bit by the next two), then the rest XORed onto its digest, r and s only.
enum P384ECDSATarget {
    /// go-sev-guest's attestation.bin under its vcek.testcer: a valid real question.
    static let real = P384Differential.Case(
        x: Hex.decode("48ec9f362eedee5ea1765939d30ac6c056c8219ade71c585d2e21f773cde430f30b20d6ab817df8e8de1d85cf293a385")!,
        y: Hex.decode("4f08609d7f00f4852ccd83882772abfe82ffcc70fa8a63fb94f532c840f2e7a835607cc725bf125b884ffec9044e3ef9")!,
        digest: Hex.decode("2241aba7c08be142e1b66585376539b6d16fa8dafd185f7b9ccdaf4e9d8551e51bcef29cf32ad0b913fb2af3f49196ae")!,
        r: Hex.decode("21c89c9932a2504bd2a590c9c21a32bbba083b2dd6e5bc7438896bf672ae1353aa5fa6bbb6274fca69f9f8b85a8b8e4f")!,
        s: Hex.decode("e0105d55989411f6ec1b31c97f152cdb0ae9d78b4276f847f4167e0b0265bd348f5fa104301cf9b6b66695a06b2489e6")!,
        label: "real")

    static let target = FuzzTarget(name: "diff-p384", summary: "differential: ECDSA P-384 verify, nettle vs OpenSSL") { input in
        let question = P384ECDSATarget.question(input)
        let nettle = P384Differential.nettle(question)
        let openSSL = P384Differential.openSSL(question)
        fuzzCheck(nettle != .error && nettle == openSSL, "P-384 verdicts differ: nettle \(nettle) openssl \(openSSL): \(question)")
    }

    static func question(_ input: [UInt8]) -> P384Differential.Case {
        guard let mode = input.first else { return real }
        var rest = Array(input.dropFirst().prefix(240))
        rest += [UInt8](repeating: 0, count: 240 - rest.count)
        let field = { (index: Int) in Array(rest[(48 * index)..<(48 * index + 48)]) }
        let xor = { (a: [UInt8], b: [UInt8]) in zip(a, b).map { $0 ^ $1 } }
        switch mode % 4 {
        case 0:
            return .init(x: field(0), y: field(1), digest: field(2), r: field(3), s: field(4), label: "raw")
        case 1:
            return .init(x: real.x, y: real.y, digest: field(0), r: field(1), s: field(2), label: "real key")
        case 2:
            return .init(x: xor(real.x, field(0)), y: xor(real.y, field(1)), digest: xor(real.digest, field(2)),
                         r: xor(real.r, field(3)), s: xor(real.s, field(4)), label: "real xor")
        default:
            let mutations = P384Differential.Mutation.allCases
            let bit = Int(rest[1]) << 8 | Int(rest[2])
            var edge = mutations[Int(rest[0]) % mutations.count].apply(to: real, bit: bit)
            (edge.digest, edge.r, edge.s) = (xor(edge.digest, field(2)), xor(edge.r, field(3)), xor(edge.s, field(4)))
            return edge
        }
    }
}
