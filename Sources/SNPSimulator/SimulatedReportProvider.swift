import GuestGuardPlatform

/// The simulated secure processor behind the same `AttestationReportProvider` protocol as the
/// real configfs-tsm and /dev/sev-guest providers, so every command that needs a report can take
/// `--simulator DIR` instead of the device.
public struct SimulatedReportProvider: AttestationReportProvider {
    public let processor: SimulatedSecureProcessor

    public init(processor: SimulatedSecureProcessor) { self.processor = processor }

    public func attestationReport(reportData: [UInt8], vmpl: UInt32) async throws(AttestationFetchError) -> RawAttestation {
        try Self.validate(reportData: reportData, vmpl: vmpl)
        do {
            let (report, certificates) = try processor.attestation(reportData: reportData, vmpl: vmpl)
            return RawAttestation(report: report, certificates: certificates, provider: AttestationInterface.simulator.rawValue)
        } catch {
            throw .system(.simulator, PlatformError(operation: "simulated SNP_GET_EXT_REPORT", errno: 0, detail: error.description))
        }
    }
}
