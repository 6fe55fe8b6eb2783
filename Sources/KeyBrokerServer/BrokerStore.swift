import GuestGuardPlatform
import SNPPolicy

/// The broker's embedded key store: one directory per resource under `DATA/resources/<repo>/<type>/<tag>/`
/// holding `key` (mode 0600) and `policy.toml` (the `guestguard verify --policy` format), both
/// written atomically (temporary file, fsync, rename).
///
/// Why files rather than SQLite: a handful of small secrets per tenant; atomic rename gives
/// crash safety; file modes give the access control; several broker replicas can share the
/// directory read-only (sessions are per replica — see README), and backups are `cp -a`.
public struct BrokerStore: Sendable {
    public let files: any FileSystem
    public let root: String
    /// The files read on every handshake, kept while `stat` finds them unchanged (``BrokerStoreReadCache``).
    let readCache = BrokerStoreReadCache()

    /// Keys are 16–4096 bytes (a LUKS passphrase or volume key; anything bigger is not a key).
    public static let keySizeRange = 16...4096

    public init(files: any FileSystem, root: String) {
        self.files = files
        self.root = root
    }

    func directory(_ id: ResourceID) -> String { "\(root)/resources/\(id.repository)/\(id.type)/\(id.tag)" }

    /// Stores `key` for `id`; refuses to overwrite unless `replace`.
    public func storeKey(_ key: SecretBytes, for id: ResourceID, replace: Bool = false) throws(BrokerStoreError) {
        guard Self.keySizeRange.contains(key.count) else { throw .invalidKey(id, "must be \(Self.keySizeRange) bytes, got \(key.count)") }
        if !replace, files.exists(directory(id) + "/key") { throw .alreadyExists(id) }
        do throws(PlatformError) {
            try files.createDirectory(directory(id), mode: 0o700)
            // From the key's own locked, wiped buffer: no copy.
            try key.withUnsafeBytes { (bytes) throws(PlatformError) in try files.writeFile(directory(id) + "/key", contents: bytes, mode: 0o600) }
        } catch { throw .file(error) }
        readCache.forget(directory(id) + "/key")
    }

    /// The key for `id`, in locked memory.
    public func key(for id: ResourceID) throws(BrokerStoreError) -> SecretBytes {
        let path = directory(id) + "/key"
        let status = try? files.status(path)
        if let status, case .secret(let cached)? = readCache.contents(of: path, status: status) {
            return cached.withUnsafeBytes { SecretBytes(copying: $0) }
        }
        guard files.exists(path) else { throw .noSuchResource(id) }
        do {
            var bytes = try files.readFile(path, limit: Self.keySizeRange.upperBound)
            defer { for index in bytes.indices { bytes[index] = 0 } }
            if let status { readCache.remember(.secret(SecretBytes(copying: bytes)), of: path, status: status) }
            return SecretBytes(copying: bytes)
        } catch { throw .file(error) }
    }

    /// A text file of the store, through ``readCache``: `stat` first, then (unless the cached copy
    /// is of the same file) the read, so a file replaced in between is read again next time.
    /// nil when nothing is at `path`.
    func cachedText(_ path: String) throws(BrokerStoreError) -> String? {
        let status = try? files.status(path)
        if let status, case .text(let cached)? = readCache.contents(of: path, status: status) { return cached }
        guard files.exists(path) else { return nil }
        let text: String
        do { text = try files.readText(path) } catch { throw .file(error) }
        if let status { readCache.remember(.text(text), of: path, status: status) }
        return text
    }

    /// Validates and stores a policy; the text is kept as written. A policy that leaves a rule open
    /// without saying so (no minimum TCB and no `minimum-tcb = "any"`) is refused.
    public func storePolicy(_ text: String, for id: ResourceID) throws(BrokerStoreError) {
        try Self.validatePolicy(text, for: id)
        do {
            try files.createDirectory(directory(id), mode: 0o700)
            try files.writeFile(directory(id) + "/policy.toml", bytes: Array(text.utf8), mode: 0o600)
        } catch { throw .file(error) }
        readCache.forget(directory(id) + "/policy.toml")
        try bumpPolicyGeneration()
    }

    static let generationFileName = "policies.generation"

    /// A token that changes whenever a policy is stored or a resource deleted (`DATA/policies.generation`,
    /// a counter written atomically after the change): the broker recomputes what depends on every
    /// policy (the trust union of `/attest`) only when it changes. A policy file edited by hand,
    /// bypassing `policy set`, is seen by `/resource` at once and by `/attest` at the next change.
    public func policyGeneration() throws(BrokerStoreError) -> String {
        try cachedText(root + "/" + Self.generationFileName) ?? "0"
    }

    func bumpPolicyGeneration() throws(BrokerStoreError) {
        let next = (Int(try policyGeneration().trimmingCharacters(in: "\n")) ?? 0) + 1
        do { try files.writeFile(root + "/" + Self.generationFileName, bytes: Array("\(next)\n".utf8), mode: 0o600) } catch { throw .file(error) }
        readCache.forget(root + "/" + Self.generationFileName)
    }

    /// The policy text and its parsed form.
    public func policy(for id: ResourceID) throws(BrokerStoreError) -> (text: String, policy: SNPVerificationPolicy) {
        let text = try policyText(for: id)
        return (text, try Self.parsePolicy(text, for: id))
    }

    /// Parses a stored policy text (errors name the resource).
    public static func parsePolicy(_ text: String, for id: ResourceID) throws(BrokerStoreError) -> SNPVerificationPolicy {
        do { return try SNPVerificationPolicy(parsing: text, fileName: "\(id) policy.toml") } catch { throw .invalidPolicy(id, error) }
    }

    /// What every store checks before storing a policy: it parses, and it leaves no rule open
    /// without saying so (no minimum TCB and no `minimum-tcb = "any"` is refused).
    public static func validatePolicy(_ text: String, for id: ResourceID) throws(BrokerStoreError) {
        let parsed = try parsePolicy(text, for: id)
        guard parsed.implicitlyUnconstrained.isEmpty else { throw .implicitlyOpenPolicy(id, parsed.implicitlyUnconstrained) }
    }

    /// The policy text as stored.
    public func policyText(for id: ResourceID) throws(BrokerStoreError) -> String {
        guard let text = try cachedText(directory(id) + "/policy.toml") else { throw .noPolicy(id) }
        return text
    }

    /// Removes a resource's key and policy.
    public func delete(_ id: ResourceID) throws(BrokerStoreError) {
        guard files.exists(directory(id)) else { throw .noSuchResource(id) }
        do {
            for name in ["key", "policy.toml"] where files.exists(directory(id) + "/" + name) {
                try files.remove(directory(id) + "/" + name)
                readCache.forget(directory(id) + "/" + name)
            }
            try files.remove(directory(id))
        } catch { throw .file(error) }
        try bumpPolicyGeneration()
    }

    /// Every resource with a key or a policy, sorted.
    public func list() throws(BrokerStoreError) -> [(id: ResourceID, hasKey: Bool, hasPolicy: Bool)] {
        var result: [(ResourceID, Bool, Bool)] = []
        let base = root + "/resources"
        guard files.exists(base) else { return [] }
        do {
            for repository in try files.listDirectory(base) {
                for type in try files.listDirectory("\(base)/\(repository)") {
                    for tag in try files.listDirectory("\(base)/\(repository)/\(type)") {
                        guard let id = ResourceID(repository: repository, type: type, tag: tag) else { continue }
                        result.append((id, files.exists(directory(id) + "/key"), files.exists(directory(id) + "/policy.toml")))
                    }
                }
            }
        } catch { throw .file(error) }
        return result
    }
}
