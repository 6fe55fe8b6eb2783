import AMDCertificateProfile
import GuestGuardCrypto
import SNPABI
import SNPVerifier

/// A locally minted AMD-like PKI (ARK, ASK, ASVK) for one generation, issuing VCEKs/VLEKs and
/// signing reports, for the failure cases real vectors cannot provide. It follows AMD's naming
/// and signature profile; it is trusted only where a test adds its root explicitly.
struct SimulatedAMD {
    /// RSA keys are slow to generate, so all simulated PKIs share these (2048 bits: the profile
    /// does not constrain the size, and tests stay fast).
    private static let keys = Result { () throws(KeyError) -> (ark: RSAPrivateKey, ask: RSAPrivateKey, asvk: RSAPrivateKey) in
        (try RSAPrivateKey(bits: 2048), try RSAPrivateKey(bits: 2048), try RSAPrivateKey(bits: 2048))
    }

    let generation: ProcessorGeneration
    let ark: X509Certificate
    let ask: X509Certificate
    let asvk: X509Certificate
    let root: TrustedRoot
    private let askKey: RSAPrivateKey
    private let asvkKey: RSAPrivateKey

    /// Validity of every simulated CA certificate: 2020-01-01 … 2045-01-01.
    static let caValidity: ClosedRange<Int64> = 1_577_836_800...2_366_755_200

    init(generation: ProcessorGeneration) throws {
        let keys = try Self.keys.get()
        self.generation = generation
        let product = generation.kdsProductName
        ark = try Self.issue(name: "ARK-\(product)", issuer: nil, key: keys.ark.publicKey(), signer: keys.ark, serial: [1, 0, 0])
        ask = try Self.issue(name: "SEV-\(product)", issuer: "ARK-\(product)", key: keys.ask.publicKey(), signer: keys.ark, serial: [1, 0, 1])
        asvk = try Self.issue(name: "SEV-VLEK-\(product)", issuer: "ARK-\(product)", key: keys.asvk.publicKey(), signer: keys.ark, serial: [1, 1, 1])
        askKey = keys.ask
        asvkKey = keys.asvk
        root = try TrustedRoot(generation: generation, ark: ark, intermediates: [ask, asvk])
    }

    /// AMD's subject layout with the given common name.
    static func amdName(_ commonName: String) -> X509Name {
        X509Name([
            .init(type: "OU", value: "Engineering"), .init(type: "C", value: "US"), .init(type: "L", value: "Santa Clara"),
            .init(type: "ST", value: "CA"), .init(type: "O", value: "Advanced Micro Devices"), .init(type: "CN", value: commonName),
        ])
    }

    private static func issue(
        name: String, issuer: String?, key: PublicKey, signer: RSAPrivateKey, serial: [UInt8],
        validity: ClosedRange<Int64> = caValidity, extensions: [X509Extension] = []
    ) throws -> X509Certificate {
        var builder = CertificateBuilder(
            subject: amdName(name), subjectPublicKey: key, notBefore: validity.lowerBound, notAfter: validity.upperBound)
        builder.issuer = issuer.map(amdName)
        builder.serialNumber = serial
        builder.extensions = extensions
        return try builder.sign(with: signer)
    }

    /// The fields a simulated VEK certifies.
    struct VEKFields {
        var kind: VEKKind = .vcek
        var tcb: TCBVersion
        var chipID: [UInt8]
        var productName: String
        var validity: ClosedRange<Int64> = 1_640_995_200...1_861_920_000  // 2022-01-01 … 2029-01-01
        /// Issue from the other intermediate (an ASVK issuing a VCEK, or the reverse).
        var swapIntermediate = false
    }

    /// Default fields for this generation: Milan-style TCB, a recognisable CHIP_ID.
    func defaultFields() -> VEKFields {
        let turin = generation.usesTurinTCBLayout
        let chipID = turin ? [UInt8](1...8) + [UInt8](repeating: 0, count: 56) : [UInt8](1...64)
        let tcb = TCBVersion(bootLoader: 3, tee: 0, snp: 8, microcode: 115, fmc: turin ? 2 : nil, generation: generation)
        return VEKFields(tcb: tcb, chipID: chipID, productName: generation == .milan ? "Milan-B0" : generation.kdsProductName)
    }

    /// A P-384 VEK and its certificate carrying AMD's extensions for `fields`.
    func issueVEK(_ fields: VEKFields) throws -> (key: P384PrivateKey, certificate: X509Certificate) {
        let key = try P384PrivateKey()
        var extensions = [
            X509Extension(objectIdentifier: VEKExtension.structVersion.objectIdentifier, value: DERValue.encodeUnsignedInteger(generation == .turin ? 1 : 0)),
            X509Extension(objectIdentifier: VEKExtension.productName.objectIdentifier, value: DERValue.encodeIA5String(fields.productName)),
            X509Extension(objectIdentifier: VEKExtension.bootLoaderSPL.objectIdentifier, value: DERValue.encodeUnsignedInteger(UInt64(fields.tcb.bootLoader))),
            X509Extension(objectIdentifier: VEKExtension.teeSPL.objectIdentifier, value: DERValue.encodeUnsignedInteger(UInt64(fields.tcb.tee))),
            X509Extension(objectIdentifier: VEKExtension.snpSPL.objectIdentifier, value: DERValue.encodeUnsignedInteger(UInt64(fields.tcb.snp))),
            X509Extension(objectIdentifier: VEKExtension.microcodeSPL.objectIdentifier, value: DERValue.encodeUnsignedInteger(UInt64(fields.tcb.microcode))),
        ]
        if let fmc = fields.tcb.fmc {
            extensions.append(X509Extension(objectIdentifier: VEKExtension.fmcSPL.objectIdentifier, value: DERValue.encodeUnsignedInteger(UInt64(fmc))))
        }
        switch fields.kind {
        case .vcek:
            let hwID = generation.usesTurinTCBLayout ? Array(fields.chipID.prefix(8)) : fields.chipID
            extensions.append(X509Extension(objectIdentifier: VEKExtension.hwID.objectIdentifier, value: hwID))
        case .vlek:
            extensions.append(X509Extension(objectIdentifier: VEKExtension.cspID.objectIdentifier, value: DERValue.encodeIA5String("CN=simulated-csp")))
        }
        let useASK = (fields.kind == .vcek) != fields.swapIntermediate
        let certificate = try Self.issue(
            name: fields.kind == .vcek ? "SEV-VCEK" : "SEV-VLEK", issuer: (useASK ? ask : asvk).subjectCommonName,
            key: key.publicKey(), signer: useASK ? askKey : asvkKey, serial: [], validity: fields.validity, extensions: extensions)
        return (key, certificate)
    }

    /// A draft for this generation reporting `fields`' TCB and CHIP_ID (version 3 with CPUID).
    func draft(for fields: VEKFields) -> AttestationReportDraft {
        var draft = AttestationReportDraft()
        draft.version = 3
        draft.cpuid = switch generation {
        case .milan: (0x19, 0x01, 0x01)
        case .genoa: (0x19, 0x11, 0x01)
        case .turin: (0x1A, 0x02, 0x00)
        }
        draft.reportedTCB = fields.tcb.rawValue
        draft.currentTCB = fields.tcb.rawValue
        draft.chipID = fields.chipID
        draft.keyInfo = KeyInfo(rawValue: UInt32(fields.kind == .vcek ? SigningKey.vcek.fieldValue : SigningKey.vlek.fieldValue) << 2)
        return draft
    }

    /// Signs `draft` with `key` (ECDSA P-384 over bytes 0x000..<0x2A0, r and s stored little-endian).
    static func sign(_ draft: AttestationReportDraft, with key: P384PrivateKey) throws -> AttestationReport {
        var draft = draft
        let unsigned = draft.serializedBytes()
        let signature = try key.signSHA384(unsigned[0..<AttestationReport.signedByteCount])
        let pad = [UInt8](repeating: 0, count: ReportSignature.componentByteCount - ReportSignature.scalarByteCount)
        draft.signature = ReportSignature(r: signature.r.reversed() + pad, s: signature.s.reversed() + pad)
        return try AttestationReport(bytes: draft.serializedBytes())
    }

    /// A verifier trusting AMD's roots and this simulated root.
    func verifier(cacheCapacity: Int = 1024) throws -> SNPReportVerifier {
        SNPReportVerifier(trustStore: try AMDRootCertificates.trustStore().adding(root), chainCacheCapacity: cacheCapacity)
    }
}
