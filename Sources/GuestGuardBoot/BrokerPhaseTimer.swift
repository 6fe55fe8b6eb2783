import GuestGuardPlatform
import KeyBrokerClient
import Synchronization

/// Adds up time spent fetching reports (attest) and in broker HTTP exchanges, for `--timings`.
public final class BrokerPhaseTimer: Sendable {
    public init() {}

    public struct Totals: Sendable {
        public var attest: Duration = .zero
        public var broker: Duration = .zero
        public var roundTrips = 0
    }

    private let state = Mutex(Totals())
    public var totals: Totals { state.withLock { $0 } }

    struct Reports: AttestationReportProvider {
        let inner: any AttestationReportProvider
        let timer: BrokerPhaseTimer
        func attestationReport(reportData: [UInt8], vmpl: UInt32) async throws(AttestationFetchError) -> RawAttestation {
            let start = ContinuousClock.now
            defer { timer.state.withLock { $0.attest += ContinuousClock.now - start } }
            return try await inner.attestationReport(reportData: reportData, vmpl: vmpl)
        }
    }

    struct Transport: KBSTransport {
        let inner: any KBSTransport
        let timer: BrokerPhaseTimer
        func send(_ request: KBSHTTPRequest, to broker: String) async throws(KeyBrokerClientError) -> KBSHTTPResponse {
            let start = ContinuousClock.now
            defer { timer.state.withLock { $0.broker += ContinuousClock.now - start; $0.roundTrips += 1 } }
            return try await inner.send(request, to: broker)
        }
    }
}
