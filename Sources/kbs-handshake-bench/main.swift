// kbs-handshake-bench: full KBS handshakes (auth + attest + resource) against a running broker,
// with reports from the simulated secure processor, at a given concurrency for a given time.
// Prints the count, handshakes/s and p50/p99 latency. Used by bench/broker.sh.
//
//   kbs-handshake-bench BROKER_URL SIMULATOR_DIR RESOURCE CONCURRENCY SECONDS
#if canImport(Glibc)
import Glibc
#endif
import GuestGuardHTTP
import GuestGuardLinux
import GuestGuardPlatform
import KeyBrokerClient
import KeyBrokerJWE
import SNPSimulator
import Synchronization

let arguments = CommandLine.arguments
guard arguments.count == 6, let concurrency = Int(arguments[4]), let seconds = Double(arguments[5]) else {
    print("usage: kbs-handshake-bench BROKER_URL SIMULATOR_DIR RESOURCE CONCURRENCY SECONDS")
    exit(2)
}
let (broker, simulatorDirectory, resource) = (arguments[1], arguments[2], arguments[3])

func monotonicSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

let processor = try SimulatedSecureProcessor(directory: simulatorDirectory, files: HostFileSystem(), random: GetrandomSource())
let http = try HTTPClient(configuration: HTTPClientConfiguration(requestTimeout: .seconds(30)))
let client = KeyBrokerClient(brokers: [broker], transport: HTTPKBSTransport(client: http), reports: SimulatedReportProvider(processor: processor),
                             clock: SystemClock(), random: GetrandomSource(), retry: RetryPolicy(attempts: 1)) { try EphemeralKeyPair() }

let latencies = Mutex<[Double]>([])
let failures = Mutex<[String]>([])
let deadline = monotonicSeconds() + seconds
let start = monotonicSeconds()
await withTaskGroup(of: Void.self) { group in
    for _ in 0..<concurrency {
        group.addTask {
            while monotonicSeconds() < deadline {
                let began = monotonicSeconds()
                do {
                    _ = try await client.handshake(broker: broker, resource: resource)
                    let elapsed = monotonicSeconds() - began
                    latencies.withLock { $0.append(elapsed) }
                } catch {
                    failures.withLock { if $0.count < 5 { $0.append("\(error)") } else { $0.append("") } }
                }
            }
        }
    }
}
let elapsed = monotonicSeconds() - start
http.shutdown()
let sorted = latencies.withLock { $0 }.sorted()
let failed = failures.withLock { $0 }
func percentile(_ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] * 1000 }
let rate = Double(sorted.count) / elapsed
func oneDecimal(_ value: Double) -> String { String(Double(Int((value * 10).rounded())) / 10) }
print("concurrency \(concurrency): \(sorted.count) handshakes in \(oneDecimal(elapsed)) s = \(oneDecimal(rate))/s, p50 \(oneDecimal(percentile(0.5))) ms, p99 \(oneDecimal(percentile(0.99))) ms, failures \(failed.count)")
for reason in failed.prefix(3) where !reason.isEmpty { print("  failure: \(reason)") }
print("rate: \(rate)")
exit(failed.isEmpty ? 0 : 1)
