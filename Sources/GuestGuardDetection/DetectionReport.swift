import CanonicalJSON
import SNPABI

/// The outcome of `guestguard detect`: the decided mode, how it was decided, and every source.
public struct DetectionReport: Sendable, Hashable {
    /// JSON schema identifier (docs/schemas.md). Bump on any incompatible change.
    public static let schema = "guestguard.detect/v1"

    /// The mode guestguard acts on: the one stated by the most trusted source that said anything.
    public let mode: MemoryEncryptionMode
    /// The trust level of the source the mode came from; nil when no source positively stated a mode.
    public let basis: TrustLevel?
    /// Which source decided.
    public let decidingSource: SignalSource?
    /// vTOM (paravisor) mode; nil when unknown.
    public let vTOM: Bool?
    /// An SVSM or paravisor below the guest; nil when unknown.
    public let svsm: Bool?
    /// A non-AMD confidential-computing guest (for example "intel-tdx"), which guestguard does not support.
    public let otherTEE: String?
    /// Every disagreement between sources, worded "inconsistent: …".
    public let inconsistencies: [String]
    /// Extra remarks (for example how to make the MSR readable).
    public let notes: [String]
    /// Every source, in the order consulted.
    public let readings: [SignalReading]

    public var isConsistent: Bool { inconsistencies.isEmpty }
    /// False for non-AMD confidential guests.
    public var isSupported: Bool { otherTEE == nil }

    public init(mode: MemoryEncryptionMode, basis: TrustLevel?, decidingSource: SignalSource?, vTOM: Bool?, svsm: Bool?,
                otherTEE: String?, inconsistencies: [String], notes: [String], readings: [SignalReading])
    {
        self.mode = mode
        self.basis = basis
        self.decidingSource = decidingSource
        self.vTOM = vTOM
        self.svsm = svsm
        self.otherTEE = otherTEE
        self.inconsistencies = inconsistencies
        self.notes = notes
        self.readings = readings
    }
}
