// kbs-handshake-bench: full KBS handshakes (auth + attest + resource) against a running broker,
// with reports from the simulated secure processor, at a given concurrency for a given time.
// Prints the count, handshakes/s and p50/p99 latency. Used by bench/broker.sh.
//
//   kbs-handshake-bench BROKER_URL SIMULATOR_DIR RESOURCE CONCURRENCY SECONDS [GUESTS [KEY_FILE]]
//
// BROKER_URL may list several replicas (comma-separated): then every request of a handshake goes
// to the next replica in turn (no affinity; a replica whose connection fails leaves the rotation).
// With GUESTS, exactly that many guests each run one handshake (SECONDS caps the run); the client
// retries a step whose replica died at the next one (KeyBrokerClient.sessionStep), and a guest
// whose handshake still fails starts over (up to 6 tries); with KEY_FILE every released key is
// compared with it ("wrong" counts mismatches).
#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import GuestGuardHTTP
import GuestGuardLinux
import GuestGuardPlatform
import KeyBrokerClient
import KeyBrokerJWE
import SNPSimulator
import Synchronization

let arguments = CommandLine.arguments
guard (6...8).contains(arguments.count), let concurrency = Int(arguments[4]), let seconds = Double(arguments[5]) else {
    print("usage: kbs-handshake-bench BROKER_URL[,URL…] SIMULATOR_DIR RESOURCE CONCURRENCY SECONDS [GUESTS [KEY_FILE]]")
    exit(2)
}
let (brokers, simulatorDirectory, resource) = (arguments[1].split(separator: ",").map(String.init), arguments[2], arguments[3])
let broker = brokers[0]
let guests = arguments.count > 6 ? Int(arguments[6]) : nil
let expectedKey = arguments.count > 7 ? try HostFileSystem().readFile(arguments[7], limit: 4096) : nil

/// A round-robin load balancer: each request goes to the next replica in turn. Like a balancer's
/// passive health check, a replica whose connection fails leaves the rotation (the client's retry
/// of that step then lands on a live one).
final class RoundRobinTransport: KBSTransport {
    let inner: HTTPKBSTransport
    let brokers: [String]
    let next = Atomic<Int>(0)
    let down = Mutex<Set<Int>>([])
    init(inner: HTTPKBSTransport, brokers: [String]) {
        self.inner = inner
        self.brokers = brokers
    }
    func send(_ request: KBSHTTPRequest, to broker: String) throws(KeyBrokerClientError) -> KBSHTTPResponse {
        let failed = down.withLock { $0 }
        let alive = failed.count < brokers.count ? brokers.indices.filter { !failed.contains($0) } : Array(brokers.indices)
        let index = alive[next.wrappingAdd(1, ordering: .relaxed).oldValue % alive.count]
        do { return try inner.send(request, to: brokers[index]) } catch {
            if case .transport = error { down.withLock { _ = $0.insert(index) } }
            throw error
        }
    }
}

@Sendable func monotonicSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

let processor = try SimulatedSecureProcessor(directory: simulatorDirectory, files: HostFileSystem(), random: GetrandomSource())
// Like wrk, one kept-alive connection per concurrent handshake (per replica), not a new TCP connection per request.
let http = try HTTPClient(configuration: HTTPClientConfiguration(requestTimeout: .seconds(30), maxIdleConnectionsPerOrigin: max(1, concurrency)))
let transport: any KBSTransport = brokers.count > 1 ? RoundRobinTransport(inner: HTTPKBSTransport(client: http), brokers: brokers) : HTTPKBSTransport(client: http)
let client = KeyBrokerClient(brokers: [broker], transport: transport, reports: SimulatedReportProvider(processor: processor),
                             clock: SystemClock(), random: GetrandomSource(), retry: RetryPolicy.once) { try EphemeralKeyPair() }

let latencies = Mutex<[Double]>([])
let failures = Mutex<[String]>([])
let deadline = monotonicSeconds() + seconds
let start = monotonicSeconds()
let remaining = Atomic<Int>(guests ?? Int.max)
let wrong = Atomic<Int>(0)
let retries = Atomic<Int>(0)
// The client blocks its thread (the guest's code is synchronous): one thread per concurrent handshake, each on a
// serial queue of its own (dispatch's overcommitting root queue gives every one a thread).
let workers = DispatchGroup()
for worker in 0..<concurrency {
    DispatchQueue(label: "kbs-handshake-bench.\(worker)").async(group: workers) {
        while monotonicSeconds() < deadline, remaining.wrappingSubtract(1, ordering: .relaxed).oldValue > 0 {
            let began = monotonicSeconds()
            var lastError = ""
            for attempt in 0..<(guests == nil ? 1 : 6) {
                if attempt > 0 { _ = retries.wrappingAdd(1, ordering: .relaxed) }
                do {
                    let key = try client.handshake(broker: broker, resource: resource)
                    if let expectedKey, !key.withUnsafeBytes({ $0.elementsEqual(expectedKey) }) { _ = wrong.wrappingAdd(1, ordering: .relaxed) }
                    lastError = ""
                    break
                } catch {
                    lastError = "\(error)"
                }
            }
            if lastError.isEmpty {
                let elapsed = monotonicSeconds() - began
                latencies.withLock { $0.append(elapsed) }
            } else {
                failures.withLock { if $0.count < 5 { $0.append(lastError) } else { $0.append("") } }
            }
        }
    }
}
workers.wait()
let elapsed = monotonicSeconds() - start
http.shutdown()
let sorted = latencies.withLock { $0 }.sorted()
let failed = failures.withLock { $0 }
func percentile(_ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] * 1000 }
let rate = Double(sorted.count) / elapsed
func oneDecimal(_ value: Double) -> String { String(Double(Int((value * 10).rounded())) / 10) }
print("concurrency \(concurrency): \(sorted.count) handshakes in \(oneDecimal(elapsed)) s = \(oneDecimal(rate))/s, p50 \(oneDecimal(percentile(0.5))) ms, p99 \(oneDecimal(percentile(0.99))) ms, failures \(failed.count)")
for reason in failed.prefix(3) where !reason.isEmpty { print("  failure: \(reason)") }
if guests != nil { print("guests: \(sorted.count) got a key, \(failed.count) did not, \(wrong.load(ordering: .relaxed)) wrong keys, \(retries.load(ordering: .relaxed)) retries") }
print("rate: \(rate)")
exit(failed.isEmpty ? 0 : 1)
