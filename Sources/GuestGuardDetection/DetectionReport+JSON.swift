import CanonicalJSON

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

extension SignalReading {
    /// One entry of `sources` in `guestguard.detect/v1`.
    public var json: JSONValue {
        .object([
            "id": .string(source.rawValue),
            "label": .string(source.label),
            "trust": .string(trust.rawValue),
            "status": .string(status.rawValue),
            "mode": .optional(impliedMode?.rawValue),
            "summary": .string(summary),
            "values": .object(values),
        ])
    }
}
