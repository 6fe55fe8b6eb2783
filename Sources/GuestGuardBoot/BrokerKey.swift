import GuestGuardCore
import GuestGuardHTTPClient
import GuestGuardLinux
import GuestGuardPlatform
import KeyBrokerClient
import KeyBrokerJWE

/// The broker's key for a resource: the one path every command takes (unlock, boot-unlock, enroll,
/// format, get-resource), in `guestguard` and `guestguard-boot` alike.
public enum BrokerKey {
    /// The key for `resource`, from the brokers of `trust` only. A test-only plain http list is
    /// announced through `warn` on every call. With `phases`, report fetches and HTTP round trips are timed.
    public static func fetch(trust: BrokerTrust, resource: String, reports: any AttestationReportProvider, warn: (String) -> Void,
                             phases: BrokerPhaseTimer? = nil, measured: UnlockTPMMeasurement? = nil, tuning: BrokerTuning = .init()) throws -> SecretBytes
    {
        try fetch(trust: trust, resources: [resource], reports: reports, warn: warn, phases: phases, measured: measured, tuning: tuning)[0]
    }

    /// The keys for `resources` (in their order) with one attestation: one broker session releases them all (boot's root and data volumes).
    public static func fetch(trust: BrokerTrust, resources: [String], reports: any AttestationReportProvider, warn: (String) -> Void,
                             phases: BrokerPhaseTimer? = nil, measured: UnlockTPMMeasurement? = nil, tuning: BrokerTuning = .init()) throws -> [SecretBytes]
    {
        if let warning = trust.warning { warn(warning) }
        let tls = try BrokerTLS.configuration(trust)
        let http = try HTTPClient(configuration: HTTPClientConfiguration(tls: tls, connectTimeout: tuning.connectTimeout, requestTimeout: tuning.requestTimeout,
                                                                         userAgent: "guestguard/\(GuestGuardVersion.string)"))
        defer { http.shutdown() }
        var transport: any KBSTransport = HTTPKBSTransport(client: http)
        var provider = reports
        if let phases {
            transport = BrokerPhaseTimer.Transport(inner: transport, timer: phases)
            provider = BrokerPhaseTimer.Reports(inner: reports, timer: phases)
        }
        let keyType = tuning.keyType
        var client = KeyBrokerClient(brokers: trust.brokers, transport: transport, reports: provider, clock: SystemClock(), random: GetrandomSource(),
                                     retry: tuning.retry) { try EphemeralKeyPair(keyType) }
        client.additionalEvidence = tuning.additionalEvidence
        client.brokerDeadline = tuning.brokerDeadline
        if let measured { return try measured.fetch(client, resources: resources) }
        return try client.fetchReleasing(resources: resources).released.map(\.secret)
    }
}
