import GuestGuardCrypto
import GuestGuardTestSupport
import P384ECDSA
import SNPABI
import Testing

/// nettle's ECDSA P-384 (P384ECDSA, the broker's report-signature verifier) against libcrypto's and Python
/// `cryptography`'s on real AMD reports, thousands of fresh OpenSSL signatures and every edge case of
/// ``P384Differential/Mutation``: the three must give the same verdict every time, and the verdict the edge case
/// calls for.
@Suite struct P384ECDSADifferentialTests {
    typealias Case = P384Differential.Case
    typealias Mutation = P384Differential.Mutation

    /// A real report's question: the VEK certificate's point (OpenSSL's parse), SHA-384 of bytes 0x000..<0x2A0,
    /// R and S from 0x2A0 and 0x2E8 (little-endian in the report, snp-abi.md §3).
    static func realCase(_ vector: RealVector) throws -> Case {
        let report = try Fixture.report(vector.report)
        let (x, y) = try Fixture.certificate(vector.vek).publicKey().p384Coordinates()
        return Case(x: x, y: y, digest: try HashFunction.sha384.hash(report.signedBytes),
                    r: report.signature.rBigEndian, s: report.signature.sBigEndian, label: Mutation.none.rawValue)
    }

    /// Both verdicts, and what is wrong with them (nil: they agree with each other and with the expectation).
    static func disagreement(_ question: Case) -> String? {
        let nettle = P384Differential.nettle(question)
        let openSSL = P384Differential.openSSL(question)
        let expected = Mutation(rawValue: question.label)?.expected
        if nettle == openSSL, expected == nil || expected == nettle { return nil }
        return "nettle \(nettle) openssl \(openSSL) expected \(expected.map(\.rawValue) ?? "-"): \(question)"
    }

    @Test(arguments: RealVector.all)
    func realReportVerifiesInBoth(_ vector: RealVector) throws {
        let question = try Self.realCase(vector)
        #expect(P384Differential.nettle(question) == .valid)
        #expect(P384Differential.openSSL(question) == .valid)
    }

    @Test(arguments: RealVector.all)
    func everyMutationOfARealReportAgrees(_ vector: RealVector) throws {
        let valid = try Self.realCase(vector)
        var problems: [String] = []
        for mutation in Mutation.allCases {
            for bit in [0, 7, 8, 190, 377, 383] {
                if let problem = Self.disagreement(mutation.apply(to: valid, bit: bit)) { problems.append(problem) }
            }
        }
        #expect(problems.isEmpty, "\(problems.prefix(5).joined(separator: "\n"))")
    }

    /// 5,000 fresh signatures by OpenSSL (50 keys × 100 messages of 0–1024 random bytes), each asked as is and
    /// once mutated (the mutations in turn, random bits): nettle, OpenSSL and Python `cryptography` (over a vector
    /// file) agree on all 10,000, and with each mutation's expected verdict.
    @Test func freshSignaturesAndTheirMutationsAgreeWithOpenSSLAndPython() throws {
        let corruptions = Mutation.allCases.filter { $0 != .none }
        var questions: [Case] = []
        for keyIndex in 0..<50 {
            let key = try P384PrivateKey()
            let (x, y) = try key.publicKey().p384Coordinates()
            for messageIndex in 0..<100 {
                let message = try SecureRandom.bytes(count: Int.random(in: 0...1024))
                let signature = try key.signSHA384(message)
                let valid = Case(x: x, y: y, digest: try HashFunction.sha384.hash(message), r: signature.r, s: signature.s, label: "none")
                let corruption = corruptions[(keyIndex * 100 + messageIndex) % corruptions.count]
                questions += [valid, corruption.apply(to: valid, bit: Int.random(in: 0..<384))]
            }
        }
        #expect(questions.count == 10_000)
        let problems = questions.compactMap(Self.disagreement)
        #expect(problems.isEmpty, "\(problems.count) disagreements, e.g.\n\(problems.prefix(5).joined(separator: "\n"))")

        let vectors = try PythonPeer.temporaryFile(Array(questions.map(\.description).joined(separator: "\n").utf8), suffix: ".p384")
        let output = try PythonPeer.run(Self.pythonVerifier, arguments: [vectors])
        let python = output.split(separator: "\n").map(String.init)
        #expect(python.count == questions.count)
        let pythonProblems = zip(questions, python).compactMap { question, verdict in
            verdict == P384Differential.nettle(question).rawValue ? nil : "python \(verdict): \(question)"
        }
        #expect(pythonProblems.isEmpty, "\(pythonProblems.count) disagreements with Python, e.g.\n\(pythonProblems.prefix(5).joined(separator: "\n"))")
    }

    /// Python `cryptography` over the vector file: K (the point is refused), 1 (valid) or 0 (invalid), one a line.
    static let pythonVerifier = """
        import sys
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec, utils
        out = []
        for line in open(sys.argv[1]):
            label, x, y, d, r, s = line.split()
            try:
                key = ec.EllipticCurvePublicNumbers(int(x, 16), int(y, 16), ec.SECP384R1()).public_key()
            except ValueError:
                out.append("K")
                continue
            try:
                key.verify(utils.encode_dss_signature(int(r, 16), int(s, 16)), bytes.fromhex(d), ec.ECDSA(utils.Prehashed(hashes.SHA384())))
                out.append("1")
            except InvalidSignature:
                out.append("0")
        print("\\n".join(out))
        """

    /// The point at infinity has no affine coordinates: nettle refuses (0, 0) and OpenSSL's encoding of it (a
    /// single 0x00 octet) yields no key that verifies the real report.
    @Test func pointAtInfinityVerifiesNothing() throws {
        let valid = try Self.realCase(RealVector.all[0])
        #expect(throws: P384ECDSAError.pointNotOnCurve) {
            try P384ECDSAPublicKey(x: [UInt8](repeating: 0, count: 48), y: [UInt8](repeating: 0, count: 48))
        }
        let infinity: [UInt8] = [0x30, 0x16, 0x30, 0x10, 0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01,
                                 0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x22, 0x03, 0x02, 0x00, 0x00]
        if let key = try? PublicKey(subjectPublicKeyInfoDER: infinity) {
            let signature = try ECDSASignature(rBigEndian: valid.r, sBigEndian: valid.s)
            #expect((try? key.isValidECDSASignature(signature, overDigest: valid.digest)) != true)
        }
    }

    /// Every size is checked before nettle sees a byte.
    @Test func wrongSizesAreTypedErrors() throws {
        let valid = try Self.realCase(RealVector.all[0])
        #expect(throws: P384ECDSAError.invalidLength(.x, expected: 48, actual: 47)) {
            try P384ECDSAPublicKey(x: Array(valid.x.dropFirst()), y: valid.y)
        }
        #expect(throws: P384ECDSAError.invalidLength(.y, expected: 48, actual: 49)) { try P384ECDSAPublicKey(x: valid.x, y: [0] + valid.y) }
        let key = try P384ECDSAPublicKey(x: valid.x, y: valid.y)
        #expect(throws: P384ECDSAError.invalidLength(.digest, expected: 48, actual: 32)) {
            try key.isValidSignature(digest: Array(valid.digest.prefix(32)), r: valid.r, s: valid.s)
        }
        #expect(throws: P384ECDSAError.invalidLength(.r, expected: 48, actual: 72)) {
            try key.isValidSignature(digest: valid.digest, r: valid.r + [UInt8](repeating: 0, count: 24), s: valid.s)
        }
        #expect(throws: P384ECDSAError.invalidLength(.s, expected: 48, actual: 0)) { try key.isValidSignature(digest: valid.digest, r: valid.r, s: []) }
        #expect(try key.isValidSignature(digest: valid.digest, r: valid.r, s: valid.s))
    }

    /// One key (as the chain cache holds it) verified from many threads at once.
    @Test func oneKeyVerifiesConcurrently() async throws {
        let valid = try Self.realCase(RealVector.all[1])
        let key = try P384ECDSAPublicKey(x: valid.x, y: valid.y)
        let tampered = Mutation.flipDigest.apply(to: valid, bit: 5)
        let verdicts = try await withThrowingTaskGroup(of: [Bool].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try (0..<25).map { index in
                        let question = index.isMultiple(of: 2) ? valid : tampered
                        return try key.isValidSignature(digest: question.digest, r: question.r, s: question.s)
                    }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(verdicts.count == 200)
        #expect(verdicts.filter { $0 }.count == 104)
    }
}
