import GuestGuardPlatform

/// Tries providers in order and returns the first report; when all fail, the error keeps every
/// provider's reason (`AttestationFetchError.allProvidersFailed`).
///
/// Invalid arguments are rejected once, before any provider runs, and cancellation stops the
/// chain. `standard()` is the Linux order: configfs-tsm (the kernel's preferred interface), then
/// `/dev/sev-guest`.
public struct FallbackReportProvider: AttestationReportProvider {
    /// Provider names, in the order they are tried.
    public let names: [String]
    let providers: [any AttestationReportProvider]

    public init(_ chain: [(name: String, provider: any AttestationReportProvider)]) {
        names = chain.map(\.name)
        providers = chain.map(\.provider)
    }

    public func attestationReport(reportData: [UInt8], vmpl: UInt32) throws(AttestationFetchError) -> RawAttestation {
        try Self.validate(reportData: reportData, vmpl: vmpl)
        var failures: [AttestationProviderFailure] = []
        for (name, provider) in zip(names, providers) {
            do {
                return try provider.attestationReport(reportData: reportData, vmpl: vmpl)
            } catch {
                failures.append(AttestationProviderFailure(provider: name, error: error))
            }
        }
        throw .allProvidersFailed(failures)
    }

    /// configfs-tsm, then `/dev/sev-guest`, over the real kernel interfaces.
    public static func standard(
        clock: any WallClock = SystemClock(),
        random: any RandomSource = GetrandomSource(),
        retryPolicy: RetryPolicy = .attestation
    ) -> FallbackReportProvider {
        FallbackReportProvider([
            (AttestationInterface.configFSTSM.rawValue,
             ConfigFSTSMReportProvider(interface: ConfigFSReportDirectory(), clock: clock, random: random, retryPolicy: retryPolicy)),
            (AttestationInterface.sevGuestDevice.rawValue,
             SEVGuestDeviceReportProvider(device: DevSEVGuestDevice(), clock: clock, retryPolicy: retryPolicy)),
        ])
    }
}
