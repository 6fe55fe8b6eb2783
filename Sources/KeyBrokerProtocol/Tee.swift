/// The TEE types kbs-types knows (`Tee`, serde lowercase/kebab names; KT `src/lib.rs`).
/// guestguard only speaks `snp`; the others are recognised so that errors can say "unsupported"
/// rather than "unknown".
public enum Tee: String, CaseIterable, Codable, Hashable, Sendable {
    case azSNPVTPM = "az-snp-vtpm"
    case azTDXVTPM = "az-tdx-vtpm"
    case nvidia
    case sgx
    case snp
    case tdx
    case cca
    case csv
    case se
    case hygonDCU = "hygondcu"
    case tpm
    case sample
    case sampleDevice = "sampledevice"

    /// The case whose raw value is byte-for-byte `text` (Swift's `==` on String would also
    /// accept canonically equivalent spellings; serde does not).
    public init?(exactly text: String) {
        guard let match = Self.allCases.first(where: { $0.rawValue.utf8.elementsEqual(text.utf8) }) else { return nil }
        self = match
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let tee = Self(exactly: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown TEE \"\(text)\""))
        }
        self = tee
    }
}
