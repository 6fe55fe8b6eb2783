import GuestGuardCrypto
import SNPABI

/// The AMD VCEK X.509 extensions (arc 1.3.6.1.4.1.3704.1, docs/snp-abi.md §4.2), encoded the way
/// AMD's KDS encodes them: INTEGER SPLs, an IA5String product name, and the hardware ID as raw
/// bytes with no inner DER tag.
enum VCEKExtensionEncoder {
    static let arc = "1.3.6.1.4.1.3704.1"

    static func extensions(settings: SimulatorSettings) -> [X509Extension] {
        let turin = settings.generation.usesTurinTCBLayout
        var list: [X509Extension] = [
            X509Extension(objectIdentifier: "\(arc).1", value: integer(turin ? 1 : 0)),
            X509Extension(objectIdentifier: "\(arc).2", value: ia5String(productName(settings.generation))),
            X509Extension(objectIdentifier: "\(arc).3.1", value: integer(settings.bootLoader)),
            X509Extension(objectIdentifier: "\(arc).3.2", value: integer(settings.tee)),
            X509Extension(objectIdentifier: "\(arc).3.3", value: integer(settings.snp)),
        ]
        if !turin {
            for spl in 4...7 { list.append(X509Extension(objectIdentifier: "\(arc).3.\(spl)", value: integer(0))) }
        }
        list.append(X509Extension(objectIdentifier: "\(arc).3.8", value: integer(settings.microcode)))
        if turin { list.append(X509Extension(objectIdentifier: "\(arc).3.9", value: integer(settings.fmc))) }
        list.append(X509Extension(objectIdentifier: "\(arc).4", value: Array(settings.chipID.prefix(turin ? 8 : 64))))
        return list
    }

    /// The VCEK productName AMD uses ("Milan-B0" on Milan parts).
    static func productName(_ generation: ProcessorGeneration) -> String {
        generation == .milan ? "Milan-B0" : generation.kdsProductName
    }

    /// DER INTEGER of a small non-negative value.
    static func integer(_ value: UInt8) -> [UInt8] {
        value >= 0x80 ? [0x02, 0x02, 0x00, value] : [0x02, 0x01, value]
    }

    /// DER IA5String (short form length).
    static func ia5String(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        precondition(bytes.count < 0x80)
        return [0x16, UInt8(bytes.count)] + bytes
    }
}
