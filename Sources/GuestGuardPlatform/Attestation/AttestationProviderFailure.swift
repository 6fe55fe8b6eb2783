/// One provider's failure inside a fallback chain: which provider, and why.
public struct AttestationProviderFailure: Sendable, Hashable, CustomStringConvertible {
    /// The provider's name in the chain (for example `"configfs-tsm"`).
    public let provider: String
    public let error: AttestationFetchError

    public init(provider: String, error: AttestationFetchError) {
        self.provider = provider
        self.error = error
    }

    public var description: String { "\(provider): \(error)" }
}
