import Foundation
import GuestGuardCrypto
import GuestGuardLinux
import GuestGuardPlatform
import GuestGuardTestSupport
import KDSCollateral
import SNPABI
import Synchronization

/// Files in `Fixtures/` (copied from /work/shared/fixtures/snp; see Fixtures/README.md).
enum Fixture {
    static func url(_ name: String) -> URL {
        guard let base = Bundle.module.resourceURL else { fatalError("KDSCollateralTests bundle has no resources") }
        return base.appendingPathComponent("Fixtures").appendingPathComponent(name)
    }

    static func bytes(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: url(name))) }
}

/// A provider toward `baseURL` with short timeouts and little backoff (tests do not wait long).
func makeProvider(_ baseURL: String, cache: (any KDSDocumentCache)? = nil, attempts: Int = 2, timeout: Duration = .seconds(2),
                  maximumWait: Int = 5) throws -> KDSCollateralProvider {
    let configuration = KDSConfiguration(baseURL: baseURL, requestTimeout: timeout,
                                         retry: RetryPolicy(attempts: attempts, initialDelay: .milliseconds(10), maximumDelay: .milliseconds(20)),
                                         burst: 1_000, requestsPerSecond: 1_000, maximumWaitSeconds: maximumWait)
    return KDSCollateralProvider(client: try KDSClient(configuration: configuration, clock: SystemClock(), random: GetrandomSource()),
                                 cache: cache, clock: SystemClock())
}

/// A cache in memory that counts what it is asked (the broker's store is tested in KeyBrokerServerTests).
final class InMemoryKDSCache: KDSDocumentCache {
    let documents = Mutex<[String: [UInt8]]>([:])
    let reads = Atomic<Int>(0)

    func cachedKDSDocument(named name: String) async throws -> [UInt8]? {
        reads.add(1, ordering: .relaxed)
        return documents.withLock { $0[name] }
    }

    func storeKDSDocument(_ bytes: [UInt8], named name: String) async throws { documents.withLock { $0[name] = bytes } }
}
