import AMDCertificateProfile
import GuestGuardCrypto
import SNPABI
import SNPVerifier

/// The AMD VCEK X.509 extensions (arc 1.3.6.1.4.1.3704.1, docs/snp-abi.md §4.2), encoded the way
/// AMD's KDS encodes them: INTEGER SPLs, an IA5String product name, and the hardware ID as raw
/// bytes with no inner DER tag. OIDs come from the verifier's `VEKExtension`, so the simulator
/// and the verifier cannot drift apart.
enum VCEKExtensionEncoder {
    static func extensions(settings: SimulatorSettings) -> [X509Extension] {
        let turin = settings.generation.usesTurinTCBLayout
        func integer(_ oid: String, _ value: UInt8) -> X509Extension {
            X509Extension(objectIdentifier: oid, value: DERValue.encodeUnsignedInteger(UInt64(value)))
        }
        var list: [X509Extension] = [
            integer(VEKExtension.structVersion.objectIdentifier, turin ? 1 : 0),
            X509Extension(objectIdentifier: VEKExtension.productName.objectIdentifier, value: DERValue.encodeIA5String(productName(settings.generation))),
            integer(VEKExtension.bootLoaderSPL.objectIdentifier, settings.bootLoader),
            integer(VEKExtension.teeSPL.objectIdentifier, settings.tee),
            integer(VEKExtension.snpSPL.objectIdentifier, settings.snp),
        ]
        if !turin {
            // spl_4 … spl_7: reserved, present (as 0) on Milan/Genoa VCEKs.
            for spl in 4...7 { list.append(integer("1.3.6.1.4.1.3704.1.3.\(spl)", 0)) }
        }
        list.append(integer(VEKExtension.microcodeSPL.objectIdentifier, settings.microcode))
        if turin { list.append(integer(VEKExtension.fmcSPL.objectIdentifier, settings.fmc)) }
        list.append(X509Extension(objectIdentifier: VEKExtension.hwID.objectIdentifier, value: Array(settings.chipID.prefix(turin ? 8 : 64))))
        return list
    }

    /// The VCEK productName AMD uses ("Milan-B0" on Milan parts).
    static func productName(_ generation: ProcessorGeneration) -> String {
        generation == .milan ? "Milan-B0" : generation.kdsProductName
    }
}
