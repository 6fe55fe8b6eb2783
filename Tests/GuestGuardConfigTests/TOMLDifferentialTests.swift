import GuestGuardConfig
import Testing

/// Random edits of the valid corpus, read by our reader and by Python's tomllib: where we accept, both
/// must give the same values; where we reject, tomllib must reject too, unless our reason is a
/// deliberate subset limit or an integer beyond 64 bits (which tomllib accepts, against TOML 1.0).
@Suite struct TOMLDifferentialTests {
    /// xorshift64*: a fixed seed makes every run edit the same way.
    struct Generator {
        var state: UInt64

        mutating func next(_ bound: Int) -> Int {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return Int((state &* 0x2545_F491_4F6C_DD1D) >> 33) % bound
        }
    }

    /// Characters that matter to TOML's grammar, plus a few that do not.
    static let alphabet = Array("[]{}=\"'.,#\n\r\t \\_-+0x1e:9aZtf".utf8)

    static func mutations(count: Int, seed: UInt64) -> [[UInt8]] {
        var generator = Generator(state: seed)
        let documents = TOMLValidCorpus.documents.map { Array($0.text.utf8) }.filter { !$0.isEmpty }
        return (0..<count).map { _ in
            var bytes = documents[generator.next(documents.count)]
            for _ in 0...generator.next(3) {
                let position = generator.next(bytes.count + 1)
                let byte = alphabet[generator.next(alphabet.count)]
                switch generator.next(3) {
                case 0: bytes.insert(byte, at: position)
                case 1 where position < bytes.count: bytes[position] = byte
                default: if position < bytes.count { bytes.remove(at: position) }
                }
            }
            return bytes
        }
    }

    @Test(.enabled(if: TOMLPeer.isAvailable), arguments: [UInt64(1), 2, 3])
    func randomEditsAgreeWithPythonTomllib(seed: UInt64) throws {
        let documents = Self.mutations(count: 1500, seed: seed)
        let peer = try TOMLPeer.parse(documents)
        try #require(peer.count == documents.count)
        var accepted = 0
        for (document, verdict) in zip(documents, peer) {
            let text = String(decoding: document, as: UTF8.self)
            do {
                let table = try TOMLTable(parsingUTF8: document, fileName: "fuzz.toml")
                accepted += 1
                #expect(TOMLPeer.canonicalJSON(table) == verdict, "accepted \(text.debugDescription)")
            } catch {
                switch error.reason {
                case .unsupported, .integerOverflow:
                    continue
                default:
                    #expect(verdict == "ERROR", "rejected \(text.debugDescription) with \(error); tomllib: \(verdict)")
                }
            }
        }
        // The edits must leave a fair share of documents valid, or the comparison of values says little.
        #expect(accepted > documents.count / 10)
    }
}
