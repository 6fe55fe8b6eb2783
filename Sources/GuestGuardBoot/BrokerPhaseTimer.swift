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
        func attestationReport(reportData: [UInt8], vmpl: UInt32) throws(AttestationFetchError) -> RawAttestation {
            let start = MonotonicInstant.now
            defer { timer.state.withLock { $0.attest += MonotonicInstant.now - start } }
            return try inner.attestationReport(reportData: reportData, vmpl: vmpl)
        }
    }

    struct Transport: KBSTransport {
        let inner: any KBSTransport
        let timer: BrokerPhaseTimer
        func send(_ request: KBSHTTPRequest, to broker: String) throws(KeyBrokerClientError) -> KBSHTTPResponse {
            let start = MonotonicInstant.now
            defer { timer.state.withLock { $0.broker += MonotonicInstant.now - start; $0.roundTrips += 1 } }
            return try inner.send(request, to: broker)
        }
    }
}
