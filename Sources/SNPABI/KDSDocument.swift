/// A document AMD's Key Distribution Service serves for SEV-SNP VCEKs (`docs/snp-abi.md` §4.3), with
/// its path under the base URL (default `https://kdsintf.amd.com`, or a tenant's mirror):
///
/// - VCEK (DER): `/vcek/v1/{product}/{hwid}?blSPL=..&teeSPL=..&snpSPL=..&ucodeSPL=..`; Turin puts
///   `fmcSPL` first and uses only CHIP_ID[0..<8] as hwid (Trustee `fetch_vcek_from_kds`,
///   go-sev-guest `kds.VCEKCertURL`). SPLs are written as at least two decimal digits, as Trustee
///   and snpguest do (`blSPL=03`); KDS also accepts go-sev-guest's plain `%d`. hwid is lower-case hex.
/// - ASK + ARK (PEM, ASK first): `/vcek/v1/{product}/cert_chain`.
/// - CRL (DER, signed by the ARK): `/vcek/v1/{product}/crl`.
///
/// VLEKs are not here: KDS serves them only to cloud providers (`/vlek/v1/…/cert` needs their
/// credentials), so VLEK evidence must carry its certificate.
public enum KDSDocument: Sendable, Hashable, CustomStringConvertible {
    case vcek(VCEKIdentity)
    case certificateChain(ProcessorGeneration)
    case revocationList(ProcessorGeneration)

    /// The product the document belongs to.
    public var generation: ProcessorGeneration {
        switch self {
        case .vcek(let identity): identity.generation
        case .certificateChain(let generation), .revocationList(let generation): generation
        }
    }

    /// The path and query under the KDS base URL.
    public var path: String {
        let base = "/vcek/v1/" + generation.kdsProductName
        switch self {
        case .vcek(let identity):
            let tcb = identity.reportedTCB
            var query: [(String, UInt8)] = []
            if let fmc = tcb.fmc { query.append(("fmcSPL", fmc)) }
            query += [("blSPL", tcb.bootLoader), ("teeSPL", tcb.tee), ("snpSPL", tcb.snp), ("ucodeSPL", tcb.microcode)]
            return base + "/" + Hex.encode(identity.hardwareID) + "?" + query.map { "\($0.0)=\(Self.twoDigits($0.1))" }.joined(separator: "&")
        case .certificateChain: return base + "/cert_chain"
        case .revocationList: return base + "/crl"
        }
    }

    /// A name for caching the document, unique per (product, hwid, TCB), made of `[A-Za-z0-9._-]`
    /// only (a file name, a database key): `vcek-Milan-<hwid>-<TCB raw hex>`, `cert_chain-Genoa`, `crl-Turin`.
    public var cacheName: String {
        let product = generation.kdsProductName
        switch self {
        case .vcek(let identity):
            return "vcek-\(product)-\(Hex.encode(identity.hardwareID))-\(String(identity.reportedTCB.rawValue, radix: 16))"
        case .certificateChain: return "cert_chain-\(product)"
        case .revocationList: return "crl-\(product)"
        }
    }

    public var description: String {
        switch self {
        case .vcek(let identity): "VCEK \(identity)"
        case .certificateChain(let generation): "\(generation.kdsProductName) ASK/ARK chain"
        case .revocationList(let generation): "\(generation.kdsProductName) CRL"
        }
    }

    private static func twoDigits(_ value: UInt8) -> String { value < 10 ? "0\(value)" : String(value) }
}

/// What names one VCEK at KDS: the product, the chip's hardware ID and the TCB the VCEK is
/// derived from (REPORTED_TCB, which may be lower than CURRENT_TCB).
public struct VCEKIdentity: Sendable, Hashable, CustomStringConvertible {
    public let generation: ProcessorGeneration
    /// 64 bytes (CHIP_ID) on Milan and Genoa; 8 bytes (CHIP_ID[0..<8]) on Turin.
    public let hardwareID: [UInt8]
    /// Decoded with ``generation``'s layout.
    public let reportedTCB: TCBVersion

    /// - Parameters:
    ///   - chipID: the 64-byte CHIP_ID of a report, or the hwid itself (64 bytes; 8 on Turin).
    ///   - reportedTCB: the raw REPORTED_TCB; it is decoded with `generation`'s layout.
    public init(generation: ProcessorGeneration, chipID: [UInt8], reportedTCB rawTCB: UInt64) throws(KDSRequestError) {
        let wanted = generation == .turin ? 8 : 64
        var hardwareID = chipID
        if generation == .turin, chipID.count == 64 {
            guard chipID[8...].allSatisfy({ $0 == 0 }) else { throw .turinChipIDTooLong }
            hardwareID = Array(chipID.prefix(8))
        }
        guard hardwareID.count == wanted else { throw .wrongChipIDLength(generation: generation, expected: wanted, actual: chipID.count) }
        guard hardwareID.contains(where: { $0 != 0 }) else { throw .chipIDMasked }
        self.generation = generation
        self.hardwareID = hardwareID
        self.reportedTCB = TCBVersion(rawValue: rawTCB, generation: generation)
    }

    /// The VCEK that signed `report`: its CHIP_ID and REPORTED_TCB, and its product from
    /// CPUID_FAM_ID/CPUID_MOD_ID (version ≥ 3) or, when the report cannot tell (version 2),
    /// `configuredGeneration`. A report whose CPUID names a product overrides the configuration.
    public init(report: AttestationReport, configuredGeneration: ProcessorGeneration? = nil) throws(KDSRequestError) {
        switch report.keyInfo.signingKey {
        case .vcek: break
        case .vlek: throw .vlekNotServed
        case .none, .reserved: throw .unsigned
        }
        guard !report.keyInfo.maskChipKey else { throw .chipIDMasked }
        let generation: ProcessorGeneration
        if report.version >= 3 {
            guard let reported = report.generation else {
                throw .unknownProduct(family: report.cpuidFamilyID ?? 0, model: report.cpuidModelID ?? 0)
            }
            generation = reported
        } else if let decided = configuredGeneration ?? report.generation {
            generation = decided
        } else {
            throw .productNotInReport(version: report.version)
        }
        try self.init(generation: generation, chipID: report.chipID, reportedTCB: report.reportedTCB.rawValue)
    }

    public var description: String {
        "\(generation.kdsProductName) hwid \(Hex.encode(hardwareID.prefix(8)))… \(reportedTCB)"
    }
}

/// Why no KDS request can name the VCEK of a report.
public enum KDSRequestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// CHIP_ID is zero (MASK_CHIP_KEY set at launch, e.g. on AWS): KDS cannot be asked.
    case chipIDMasked
    /// The report is signed by a VLEK, which KDS serves only to cloud providers.
    case vlekNotServed
    /// KEY_INFO.SIGNING_KEY says the report is unsigned.
    case unsigned
    /// A version-2 report carries no CPUID, and no product was configured.
    case productNotInReport(version: UInt32)
    /// CPUID_FAM_ID/CPUID_MOD_ID name no product KDS serves.
    case unknownProduct(family: UInt8, model: UInt8)
    /// A chip ID of the wrong length for the product.
    case wrongChipIDLength(generation: ProcessorGeneration, expected: Int, actual: Int)
    /// A Turin CHIP_ID with bytes set after the first 8 (Turin's hwid is 8 bytes).
    case turinChipIDTooLong

    public var description: String {
        switch self {
        case .chipIDMasked: "CHIP_ID is masked (MASK_CHIP_KEY): the VCEK cannot be fetched from KDS; send it in cert_chain"
        case .vlekNotServed: "the report is signed by a VLEK, which AMD's KDS serves only to cloud providers; send it in cert_chain"
        case .unsigned: "the report is unsigned (SIGNING_KEY 7)"
        case .productNotInReport(let version):
            "a version-\(version) report does not name its product (Milan, Genoa, Turin): configure the KDS product, or send cert_chain"
        case .unknownProduct(let family, let model):
            "CPUID family 0x\(String(family, radix: 16)) model 0x\(String(model, radix: 16)) is no product AMD's KDS serves"
        case .wrongChipIDLength(let generation, let expected, let actual):
            "a \(generation.kdsProductName) hwid is \(expected) bytes, got \(actual)"
        case .turinChipIDTooLong: "a Turin CHIP_ID has bytes set after the first 8 (Turin hwids are 8 bytes)"
        }
    }
}
