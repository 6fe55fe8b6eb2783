import SNPABI

/// The `[tpm]` section of a policy: whether a TPM2 quote must come with the SNP evidence, and
/// which quoted SHA-256 PCR values must match (`docs/policy.md`, `docs/tpm.md`).
///
/// The broker verifies the quote itself (signature, nonce, PCR digest, attestation-key binding)
/// at `/attest`; these requirements run on the quoted values it kept.
public struct TPMRequirements: Sendable, Hashable {
    /// The PCRs a guestguard quote covers (0–9, 11, 14, 15); only these can be pinned.
    public static let quotablePCRs: Set<Int> = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 14, 15]

    /// A quote must be present. Pinning any PCR implies it.
    public var requireQuote: Bool
    /// Expected SHA-256 values by PCR index.
    public var pcrs: [Int: [UInt8]]

    public init(requireQuote: Bool = true, pcrs: [Int: [UInt8]] = [:]) {
        self.requireQuote = requireQuote || !pcrs.isEmpty
        self.pcrs = pcrs
    }

    /// Every unmet requirement, each starting with its code (`tpm-quote-required`,
    /// `tpm-pcr-policy`). `quoted` is nil when the guest sent no quote.
    public func violations(quoted: [Int: [UInt8]]?) -> [String] {
        guard let quoted else {
            return requireQuote ? ["tpm-quote-required: the policy requires a TPM quote and the evidence has none"] : []
        }
        return pcrs.keys.sorted().compactMap { index in
            let expected = pcrs[index]!
            guard let value = quoted[index] else { return "tpm-pcr-policy: PCR \(index) is not in the quote" }
            guard value == expected else {
                return "tpm-pcr-policy: PCR \(index) is \(Hex.encode(value)), the policy pins \(Hex.encode(expected))"
            }
            return nil
        }
    }
}
