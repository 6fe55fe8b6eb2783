extension AttestationReport {
    /// Encodes the parsed fields back into the 0x4A0-byte ABI layout (through
    /// ``AttestationReportDraft``).
    ///
    /// Parsing is lossless (every non-field byte is must-be-zero), so for a parsed report this
    /// equals ``bytes`` byte for byte. Use ``signedBytes`` for signature checks, not this.
    public func serializedBytes() -> [UInt8] {
        AttestationReportDraft(self).serializedBytes()
    }
}
