import GuestGuardCore
import GuestGuardCrypto
import GuestGuardLinux
import GuestGuardPlatform
import KeyBrokerClient
import SNPABI
import Synchronization

/// The `--tpm` part of `guestguard unlock`: broker fetches carry a TPM quote, and after a
/// successful unlock PCR `--tpm-pcr` is extended with the ``UnlockMeasurement`` of each key a broker
/// released. Without `--tpm` it fetches exactly as before and measures nothing.
public final class UnlockTPMMeasurement: Sendable {
    private let tpm: TPMQuoteProvider?
    private let pcr: Int
    private let eventLog: String
    private let recorder = Mutex<MeasurementRecorder?>(nil)
    private let released = Mutex<[UnlockMeasurement]>([])

    /// - Parameter directory: where the event log goes (`--header-copies`, `/run/guestguard` by default).
    public init(options: TPMOptions, directory: String) throws {
        tpm = try options.provider()
        pcr = options.pcr
        eventLog = directory + "/unlock-measurement.json"
    }

    /// Wraps `reports` so the measurement of the report actually sent is known.
    public func recording(_ reports: any AttestationReportProvider) -> any AttestationReportProvider {
        guard tpm != nil else { return reports }
        let wrapped = MeasurementRecorder(reports)
        recorder.withLock { $0 = wrapped }
        return wrapped
    }

    /// Fetches the token's resource, with the quote when `--tpm` is given, and remembers what to measure.
    public func fetch(_ client: KeyBrokerClient, resource: String) throws -> SecretBytes {
        try fetch(client, resources: [resource])[0]
    }

    /// Fetches `resources` with one attestation (with the quote when `--tpm` is given) and remembers
    /// one measurement per released key.
    public func fetch(_ client: KeyBrokerClient, resources: [String]) throws -> [SecretBytes] {
        guard let tpm else { return try client.fetchReleasing(resources: resources).released.map(\.secret) }
        var client = client
        client.additionalEvidence = tpm
        // The broker's keyed key-id from the JWE header; the guest never hashes the key itself.
        let (broker, keys) = try client.fetchReleasing(resources: resources)
        let measurement = recorder.withLock { $0?.lastMeasurement } ?? []
        released.withLock { list in
            for (resource, key) in zip(resources, keys) {
                list.append(UnlockMeasurement(broker: broker, resource: resource, measurement: measurement, keyID: key.keyID))
            }
        }
        return keys.map(\.secret)
    }

    /// Runs `unlocking`; when it succeeds, extends the PCR (``extendAfterUnlock()``). When it fails
    /// nothing is measured: the PCR records only complete unlocks.
    public func afterUnlocking(_ unlocking: () throws -> Void) throws {
        try unlocking()
        if let line = try extendAfterUnlock() { print(line) }
    }

    /// After a successful unlock: extends the PCR once per released key; returns a line for the operator, or nil.
    public func extendAfterUnlock() throws -> String? {
        guard let tpm else { return nil }
        let pending = released.withLock { list in
            defer { list = [] }
            return list
        }
        var lines: [String] = []
        for measurement in pending {
            do {
                let done = try measurement.extend(tpm, pcr: pcr, files: HostFileSystem(), eventLog: eventLog) { (try? HashFunction.sha256.hash($0)) ?? [] }
                lines.append("measured the unlock into PCR \(done.pcr): \(Hex.encode(done.before.prefix(8)))… → \(Hex.encode(done.after.prefix(8)))…")
            } catch {
                throw CLIError(message: "the volume is unlocked but PCR \(pcr) was not extended", causes: [error.description])
            }
        }
        return lines.isEmpty ? nil : lines.joined(separator: "\n")
    }
}

/// Passes reports through and keeps the MEASUREMENT (offset 0x90) of the last one.
final class MeasurementRecorder: AttestationReportProvider {
    private let inner: any AttestationReportProvider
    private let last = Mutex<[UInt8]>([])

    init(_ inner: any AttestationReportProvider) {
        self.inner = inner
    }

    var lastMeasurement: [UInt8] { last.withLock { $0 } }

    func attestationReport(reportData: [UInt8], vmpl: UInt32) throws(AttestationFetchError) -> RawAttestation {
        let raw = try inner.attestationReport(reportData: reportData, vmpl: vmpl)
        if let report = try? AttestationReport(bytes: raw.report) { last.withLock { $0 = report.measurement } }
        return raw
    }
}
