import GuestGuardPlatform

/// Report bytes for fakes: a 0x4A0-byte template with the request stamped in, the way the
/// firmware fills VMPL (offset 0x30, u32 LE) and REPORT_DATA (offset 0x50, 64 bytes).
/// The signature no longer matches; fetch tests only need "the report for this request".
public enum SyntheticReport {
    /// Byte offset of REPORT_DATA in ATTESTATION_REPORT.
    public static let reportDataOffset = 0x50
    /// Byte offset of VMPL in ATTESTATION_REPORT.
    public static let vmplOffset = 0x30

    /// A report generator over `template` (a real report), or over a counting pattern when nil.
    public static func generator(template: [UInt8]? = nil) -> @Sendable ([UInt8], UInt32) -> [UInt8] {
        let base = template ?? (0..<RawAttestation.reportByteCount).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 0x5A) }
        precondition(base.count == RawAttestation.reportByteCount, "a report template is 0x4A0 bytes")
        return { reportData, vmpl in
            var report = base
            for (index, byte) in reportData.prefix(64).enumerated() { report[reportDataOffset + index] = byte }
            for index in 0..<4 { report[vmplOffset + index] = UInt8(truncatingIfNeeded: vmpl >> UInt32(8 * index)) }
            return report
        }
    }
}
