import SNPABI

/// The running AMD-SP firmware, CURRENT_MAJOR.MINOR.BUILD (0x1E8-0x1EA), must be at least the minimum.
///
/// This is the firmware version, not its security patch level: use ``MinimumTCB`` for the SNP SPL the
/// VCEK certifies. The check is useful for features that need a firmware version (ciphertext hiding,
/// page-swap disable) and for refusing firmware with a published flaw.
public struct MinimumFirmware: ReportPolicy, Hashable {
    public let minimum: FirmwareVersion

    public init(_ minimum: FirmwareVersion) {
        self.minimum = minimum
    }

    public func evaluate(_ report: AttestationReport) -> [PolicyViolation] {
        guard report.currentFirmware < minimum else { return [] }
        return [PolicyViolation(
            check: .minimumFirmware, field: .currentFirmware, expected: ">= \(minimum)",
            actual: report.currentFirmware.description, reason: "the AMD-SP firmware is older than the minimum")]
    }
}
