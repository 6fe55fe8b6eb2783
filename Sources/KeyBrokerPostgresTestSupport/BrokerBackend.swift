import KeyBrokerServer
import KeyBrokerTestSupport
import SNPSimulator

/// The stores a broker test runs against: the embedded default and a real PostgreSQL.
public enum BrokerBackend: String, CaseIterable, Sendable, CustomStringConvertible {
    case embedded, postgres

    public var description: String { rawValue }

    /// A harness over this store, seeded with the resource's key and policy.
    public func harness(jwe: Bool = false, maxSessions: Int = 100_000, limits: BrokerLimits = BrokerLimits(),
                        policy: ((SimulatedSecureProcessor) -> String)? = nil,
                        kds: ((any BrokerStorage) throws -> BrokerKDS)? = nil, revocation: RevocationMode = .bestEffort) async throws -> BrokerHarness {
        switch self {
        case .embedded:
            return try await BrokerHarness(storage: { BrokerHarness.embedded($0) }, jwe: jwe, maxSessions: maxSessions, limits: limits, policy: policy,
                                           kds: kds, revocation: revocation)
        case .postgres:
            return try await BrokerHarness(storage: { _ in try await PostgresTestServer.shared().makeStorage() }, jwe: jwe, maxSessions: maxSessions,
                                           limits: limits, policy: policy, kds: kds, revocation: revocation)
        }
    }
}
