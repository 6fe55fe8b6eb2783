/// AMD's VCEK/VLEK X.509 extensions (arc 1.3.6.1.4.1.3704.1; `docs/snp-abi.md` §4.2).
public enum VEKExtension: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case structVersion = "1.3.6.1.4.1.3704.1.1"
    case productName = "1.3.6.1.4.1.3704.1.2"
    case bootLoaderSPL = "1.3.6.1.4.1.3704.1.3.1"
    case teeSPL = "1.3.6.1.4.1.3704.1.3.2"
    case snpSPL = "1.3.6.1.4.1.3704.1.3.3"
    case microcodeSPL = "1.3.6.1.4.1.3704.1.3.8"
    case fmcSPL = "1.3.6.1.4.1.3704.1.3.9"
    case hwID = "1.3.6.1.4.1.3704.1.4"
    case cspID = "1.3.6.1.4.1.3704.1.5"

    /// The dotted OID.
    public var objectIdentifier: String { rawValue }

    /// AMD's name for the extension.
    public var name: String {
        switch self {
        case .structVersion: "structVersion"
        case .productName: "productName"
        case .bootLoaderSPL: "blSPL"
        case .teeSPL: "teeSPL"
        case .snpSPL: "snpSPL"
        case .microcodeSPL: "ucodeSPL"
        case .fmcSPL: "fmcSPL"
        case .hwID: "hwID"
        case .cspID: "cspID"
        }
    }

    public var description: String { "\(name) (\(rawValue))" }
}
