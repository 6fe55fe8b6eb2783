import CanonicalJSON

/// Runtime-data digest algorithms (kbs-types `HashAlgorithm`, serde lower-case names;
/// KT `src/hash_algorithm.rs:13, 58-65`), in `list_all()` order.
public enum HashAlgorithm: String, CaseIterable, Codable, Hashable, Sendable {
    case sha256
    case sha384
    case sha512
    case sm3

    /// Digest size in bytes.
    public var digestByteCount: Int {
        switch self {
        case .sha256, .sm3: return 32
        case .sha384: return 48
        case .sha512: return 64
        }
    }

    /// Why a challenge's `extra-params` names no usable algorithm; the cases and their
    /// arguments mirror guest-components' errors.
    public enum SelectionError: Error, Hashable, Sendable, CustomStringConvertible {
        /// `selected-hash-algorithm` is a string that names no algorithm (after lower-casing).
        case invalidHashAlgorithm(String)
        /// `selected-hash-algorithm` is not a string; `found` is the offending value.
        case unexpectedJSONDataType(expected: String, found: JSONValue)

        public var description: String {
            switch self {
            case .invalidHashAlgorithm(let name):
                return "extra-params.selected-hash-algorithm \"\(name)\" is not sha256, sha384, sha512 or sm3"
            case .unexpectedJSONDataType(let expected, let found):
                let text = (try? found.canonicalText()) ?? "\(found)"
                return "extra-params.selected-hash-algorithm must be a \(expected), found \(text)"
            }
        }
    }

    /// The client-side choice (GC `rcar_client.rs:65-83`): if `extraParams` is an object with
    /// `selected-hash-algorithm`, that string lower-cased; otherwise SHA-384. Trustee's KBS
    /// itself always uses SHA-384 for SNP (TR `kbs/src/attestation/coco/builtin.rs:77-80`) and
    /// sends `""`, which selects SHA-384 here too.
    public static func selected(byChallengeExtraParams extraParams: JSONValue) throws(SelectionError) -> HashAlgorithm {
        guard case .object(let members) = extraParams,
            let index = members.index(forKey: "selected-hash-algorithm"),
            members[index].key.utf8.elementsEqual("selected-hash-algorithm".utf8)
        else { return .sha384 }
        let value = members[index].value
        guard case .string(let name) = value else { throw .unexpectedJSONDataType(expected: "string", found: value) }
        let lowered = name.lowercased()
        guard let algorithm = allCases.first(where: { $0.rawValue.utf8.elementsEqual(lowered.utf8) }) else {
            throw .invalidHashAlgorithm(name)
        }
        return algorithm
    }
}
