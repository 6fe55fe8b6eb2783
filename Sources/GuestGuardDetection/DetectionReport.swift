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

extension DetectionReport {
    /// The `guestguard.detect/v1` document (docs/schemas.md).
    public var json: JSONValue {
        .object([
            "schema": .string(Self.schema),
            "mode": .string(mode.rawValue),
            "basis": .optional(basis?.rawValue),
            "decidedBy": .optional(decidingSource?.rawValue),
            "consistent": .bool(isConsistent),
            "supported": .bool(isSupported),
            "vtom": .optional(vTOM),
            "svsm": .optional(svsm),
            "otherTEE": .optional(otherTEE),
            "inconsistencies": .array(inconsistencies.map { .string($0) }),
            "notes": .array(notes.map { .string($0) }),
            "sources": .array(readings.map(\.json)),
        ])
    }
}

extension DetectionReport {
    /// The human rendering of `guestguard detect`.
    public var text: String {
        var lines: [String] = []
        var verdict = "memory encryption: \(mode.displayName)"
        if let basis, let decidingSource { verdict += " (\(basis.rawValue), from \(decidingSource.label))" } else { verdict += " (no source stated a mode)" }
        lines.append(verdict)
        if let otherTEE { lines.append("confidential guest: \(otherTEE) — not supported") }
        lines.append("vTOM (paravisor): \(Self.word(vTOM))    SVSM/paravisor below the guest: \(Self.word(svsm))")
        for line in inconsistencies { lines.append(line) }
        lines.append("")
        lines.append("sources:")
        for reading in readings {
            let mode = reading.impliedMode.map { " → \($0.displayName)" } ?? ""
            lines.append("  \(pad(reading.source.label, 36)) \(pad("[\(reading.trust.rawValue)]", 22)) \(pad(reading.status.rawValue, 11))\(mode)")
            lines.append("      \(reading.summary)")
        }
        if !notes.isEmpty {
            lines.append("")
            for note in notes { lines.append("note: \(note)") }
        }
        return lines.joined(separator: "\n")
    }

    static func word(_ value: Bool?) -> String { value.map { $0 ? "yes" : "no" } ?? "unknown" }
}

package func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}
