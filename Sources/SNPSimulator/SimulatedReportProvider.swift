import GuestGuardPlatform

/// The simulated secure processor behind the same `AttestationReportProvider` protocol as the
/// real configfs-tsm and /dev/sev-guest providers, so every command that needs a report can take
/// `--simulator DIR` instead of the device.
public struct SimulatedReportProvider: AttestationReportProvider {
    public let processor: SimulatedSecureProcessor

    public init(processor: SimulatedSecureProcessor) { self.processor = processor }

    public func attestationReport(reportData: [UInt8], vmpl: UInt32) throws(AttestationFetchError) -> RawAttestation {
        try Self.validate(reportData: reportData, vmpl: vmpl)
        do {
            let (report, certificates) = try processor.attestation(reportData: reportData, vmpl: vmpl)
            return RawAttestation(report: report, certificates: certificates, provider: AttestationInterface.simulator.rawValue)
        } catch {
            throw .system(.simulator, PlatformError(operation: "simulated SNP_GET_EXT_REPORT", errno: 0, detail: error.description))
        }
    }
}

extension SimulatedSecureProcessor {
    /// The answer `guestguard simulator serve` sends over the simulator port: the report, or the
    /// refusal the firmware would give (INVALID_PARAM for a bad VMPL) as a typed error frame.
    public func portAnswer(reportData: [UInt8], vmpl: UInt32) -> Result<SimulatorPortAnswer, SimulatorPortRefusal> {
        do {
            let (report, certificates) = try attestation(reportData: reportData, vmpl: vmpl)
            return .success(SimulatorPortAnswer(report: report, certificates: certificates))
        } catch {
            if case .invalidRequest(let reason) = error { return .failure(SimulatorPortRefusal(code: .invalidRequest, message: reason)) }
            return .failure(SimulatorPortRefusal(code: .simulatorFailure, message: error.description))
        }
    }

    /// The same simulated processor signing `measurement` instead of its settings' value
    /// (`simulator serve` computes it from the launch's blobs).
    public func measuring(_ measurement: [UInt8]) throws(SimulatorError) -> SimulatedSecureProcessor {
        guard measurement.count == 48 else { throw .invalidSetting(key: "measurement", reason: "must be 48 bytes, got \(measurement.count)") }
        var changed = settings
        changed.measurement = measurement
        return SimulatedSecureProcessor(settings: changed, ark: ark, ask: ask, vcek: vcek, vcekSigner: vcekSigner, random: random)
    }
}
