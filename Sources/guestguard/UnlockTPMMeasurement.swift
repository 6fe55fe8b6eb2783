import GuestGuardCore
import GuestGuardCrypto
import GuestGuardLinux
import GuestGuardPlatform
import KeyBrokerClient
import SNPABI
import Synchronization

/// The `--tpm` part of `guestguard unlock`: the broker fetch carries a TPM quote, and after a
/// successful unlock PCR `--tpm-pcr` is extended with the ``UnlockMeasurement`` of what released
/// the key. Without `--tpm` it fetches exactly as before and measures nothing.
final class UnlockTPMMeasurement: Sendable {
    private let tpm: TPMQuoteProvider?
    private let pcr: Int
    private let eventLog: String
    private let released = Mutex<UnlockMeasurement?>(nil)

    /// - Parameter directory: where the event log goes (`--header-copies`, `/run/guestguard` by default).
    init(options: TPMOptions, directory: String) throws {
        tpm = try options.provider()
        pcr = options.pcr
        eventLog = directory + "/unlock-measurement.json"
    }

    /// Wraps `reports` so the measurement of the report actually sent is known.
    func recording(_ reports: any AttestationReportProvider) -> any AttestationReportProvider {
        tpm == nil ? reports : MeasurementRecorder(reports)
    }

    /// Fetches the token's resource, with the quote when `--tpm` is given, and remembers what to measure.
    func fetch(_ client: KeyBrokerClient, resource: String) async throws -> SecretBytes {
        guard let tpm else { return try await client.fetch(resource: resource) }
        var client = client
        client.additionalEvidence = tpm
        let (broker, secret) = try await client.fetchReleasing(resource: resource)
        let keyID = "sha256:" + Hex.encode(secret.withUnsafeBytes { (try? HashFunction.sha256.hash($0)) ?? [] }.prefix(8))
        let measurement = (client.reports as? MeasurementRecorder)?.lastMeasurement ?? []
        released.withLock { $0 = UnlockMeasurement(broker: broker, resource: resource, measurement: measurement, keyID: keyID) }
        return secret
    }

    /// After a successful unlock: extends the PCR; returns a line for the operator, or nil.
    func extendAfterUnlock() throws -> String? {
        guard let tpm, let measurement = released.withLock({ $0 }) else { return nil }
        do {
            let done = try measurement.extend(tpm, pcr: pcr, files: HostFileSystem(), eventLog: eventLog) { (try? HashFunction.sha256.hash($0)) ?? [] }
            return "measured the unlock into PCR \(done.pcr): \(Hex.encode(done.before.prefix(8)))… → \(Hex.encode(done.after.prefix(8)))…"
        } catch {
            throw CLIError(message: "the volume is unlocked but PCR \(pcr) was not extended", causes: [error.description])
        }
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

    func attestationReport(reportData: [UInt8], vmpl: UInt32) async throws(AttestationFetchError) -> RawAttestation {
        let raw = try await inner.attestationReport(reportData: reportData, vmpl: vmpl)
        if let report = try? AttestationReport(bytes: raw.report) { last.withLock { $0 = report.measurement } }
        return raw
    }
}
