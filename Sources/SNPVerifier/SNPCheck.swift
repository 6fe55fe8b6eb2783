/// Every check ``SNPReportVerifier`` runs, in the order results list them. The raw value is
/// the name the CLI prints (`PASS report-signature: …`).
public enum SNPCheck: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The intermediate is issued by an ARK in the trust store (AMD pinned, or added explicitly).
    case rootTrusted = "ark-trusted"
    /// The ARK is self-issued and self-signed (verified when the trust store was loaded).
    case arkSelfSignature = "ark-self-signature"
    /// The ASK/ASVK is issued by the ARK: names match and the RSASSA-PSS signature verifies.
    case intermediateSignature = "intermediate-signature"
    /// An ASK signs VCEKs, an ASVK signs VLEKs; the two are not interchangeable.
    case intermediateRole = "intermediate-role"
    /// The VCEK/VLEK is issued by the intermediate: names match and the signature verifies.
    case vekSignature = "vek-signature"
    /// The ARK is valid at the verification time.
    case arkValidity = "ark-validity"
    /// The ASK/ASVK is valid at the verification time.
    case intermediateValidity = "intermediate-validity"
    /// The VCEK/VLEK is valid at the verification time.
    case vekValidity = "vek-validity"
    /// KEY_INFO.SIGNING_KEY (0x048 bits 4:2) names the kind of certificate presented; 7 (none) is refused.
    case signingKey = "signing-key"
    /// ECDSA P-384/SHA-384 over report bytes 0x000..<0x2A0 verifies under the VEK's key.
    case reportSignature = "report-signature"
    /// CPUID_FAM_ID/CPUID_MOD_ID (0x188, version ≥ 3) name the generation of the chain's ARK.
    case generation = "generation"
    /// The VEK's productName extension (1.3.6.1.4.1.3704.1.2) names that generation.
    case productName = "product-name"
    /// blSPL (…3704.1.3.1) == REPORTED_TCB.BOOT_LOADER (0x180).
    case bootLoaderSPL = "blSPL"
    /// teeSPL (…3704.1.3.2) == REPORTED_TCB.TEE.
    case teeSPL = "teeSPL"
    /// snpSPL (…3704.1.3.3) == REPORTED_TCB.SNP.
    case snpSPL = "snpSPL"
    /// ucodeSPL (…3704.1.3.8) == REPORTED_TCB.MICROCODE.
    case microcodeSPL = "ucodeSPL"
    /// fmcSPL (…3704.1.3.9) == REPORTED_TCB.FMC on Turin; not applicable elsewhere.
    case fmcSPL = "fmcSPL"
    /// The VCEK's hwID (…3704.1.4) == CHIP_ID (0x1A0; Turin: first 8 bytes), unless
    /// MASK_CHIP_KEY is set or the key is a VLEK.
    case hwID = "hwID"

    public var description: String { rawValue }
}
