/// An AMD EPYC processor generation with its own VCEK certificate chain and TCB_VERSION layout
/// (`docs/snp-abi.md` §3.3).
public enum ProcessorGeneration: String, Sendable, Hashable, CaseIterable {
    /// Zen 3, family 0x19 models 0x00-0x0F.
    case milan
    /// Zen 4, family 0x19 models 0x10-0x1F (Genoa) and 0xA0-0xAF (Bergamo, Siena; they use Genoa certificates).
    case genoa
    /// Zen 5, family 0x1A models 0x00-0x11.
    case turin

    /// The product name AMD's Key Distribution Service uses in URLs (`/vcek/v1/{product}/…`).
    public var kdsProductName: String {
        switch self {
        case .milan: return "Milan"
        case .genoa: return "Genoa"
        case .turin: return "Turin"
        }
    }

    /// True when TCB_VERSION uses the Turin layout (FMC in byte 0).
    public var usesTurinTCBLayout: Bool { self == .turin }

    /// The TCB_VERSION byte layout of this generation.
    public var tcbLayout: TCBLayout { self == .turin ? .turin : .legacy }

    /// The generation of a combined CPUID family / model, as in report fields CPUID_FAM_ID (0x188)
    /// and CPUID_MOD_ID (0x189); nil when the pair names no generation this module knows
    /// (Venice, family 0x1A models 0x50-0x57/0x90-0xAF/0xC0-0xC7, is deliberately nil: no KDS
    /// chain and no reference vector yet). Ranges as virtee/sev `Generation::identify_cpu`.
    public init?(cpuidFamily family: UInt8, model: UInt8) {
        switch (family, model) {
        case (0x19, 0x00...0x0F): self = .milan
        case (0x19, 0x10...0x1F), (0x19, 0xA0...0xAF): self = .genoa
        case (0x1A, 0x00...0x11): self = .turin
        default: return nil
        }
    }

    /// The generation for a KDS product name ("Milan", "Genoa", "Turin"; case-sensitive),
    /// also accepting a VCEK productName extension with a stepping suffix such as "Milan-B0".
    public init?(kdsProductName name: String) {
        let base = name.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? name
        guard let match = Self.allCases.first(where: { $0.kdsProductName == base }) else { return nil }
        self = match
    }
}
