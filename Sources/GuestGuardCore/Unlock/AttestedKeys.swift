import GuestGuardPlatform
import Synchronization

/// The keys of one boot attempt, with one attestation: the first volume whose header passed asks
/// for its key, and that request fetches every resource the configuration names (root and data
/// volumes) in one broker session (`/auth`, one `/attest`, then one `GET /resource` each). The
/// other volumes of the attempt take theirs from here; a failed fetch fails them all with the same
/// error, without attesting again. A new attempt (``BootUnlock`` retry) makes a new instance.
///
/// The keys live as long as the attempt (the instance): `SecretBytes` wipes them when it is released.
///
/// ```swift
/// let keys = AttestedKeys(resources: config.resources) { try BrokerKey.fetch(…, resources: $0, …) }
/// plan.run(naming: naming) { volume in .broker { _ in try keys.key(for: config.resource(for: volume)) } }
/// ```
public final class AttestedKeys: Sendable {
    /// Every resource of the attempt, each once.
    public let resources: [String]
    let fetchAll: @Sendable ([String]) throws -> [SecretBytes]
    /// The one fetch's outcome (the lock is held while fetching, so concurrent callers wait for it and share it).
    private let fetched = Mutex<Result<[String: SecretBytes], any Error>?>(nil)

    /// Thrown for a resource the attempt was not set up with (a wiring error; never a second attestation).
    public struct UnknownResource: Error, CustomStringConvertible {
        public let resource: String
        public var description: String { "resource \(resource) is not one the configuration names for this boot" }
    }

    /// Thrown when the fetch returned another number of keys than resources asked for.
    public struct WrongKeyCount: Error, CustomStringConvertible {
        public let expected: Int, got: Int
        public var description: String { "the broker session returned \(got) keys for \(expected) resources" }
    }

    /// - Parameters:
    ///   - resources: the resources to fetch (duplicates are dropped, order kept).
    ///   - fetchAll: one attestation releasing the keys of all of them, in the same order.
    public init(resources: [String], fetchAll: @escaping @Sendable ([String]) throws -> [SecretBytes]) {
        var unique: [String] = []
        for resource in resources where !unique.contains(resource) { unique.append(resource) }
        self.resources = unique
        self.fetchAll = fetchAll
    }

    /// The key of `resource`; the first call (of the attempt) fetches them all.
    public func key(for resource: String) throws -> SecretBytes {
        guard resources.contains(resource) else { throw UnknownResource(resource: resource) }
        let outcome = fetched.withLock { fetched -> Result<[String: SecretBytes], any Error> in
            if let fetched { return fetched }
            let resources = self.resources
            let outcome = Result { () throws -> [String: SecretBytes] in
                let keys = try fetchAll(resources)
                guard keys.count == resources.count else { throw WrongKeyCount(expected: resources.count, got: keys.count) }
                return Dictionary(uniqueKeysWithValues: zip(resources, keys))
            }
            fetched = outcome
            return outcome
        }
        guard let key = try outcome.get()[resource] else { throw UnknownResource(resource: resource) }
        return key
    }
}
