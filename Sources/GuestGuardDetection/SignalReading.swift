import CanonicalJSON
import SNPABI

/// What one source said.
public struct SignalReading: Sendable, Hashable {
    /// Whether the source could be read, and what that means.
    public enum Status: String, Sendable, Hashable {
        /// Read, and it says something.
        case observed
        /// Looked for and not there (which by itself proves nothing: a module may not be loaded).
        case absent
        /// Could not be read (permission, missing driver); the summary says how to get it.
        case unavailable
        /// Read, but the contents are not what the kernel writes there: unknown, never a guess.
        case malformed
    }

    public let source: SignalSource
    public let trust: TrustLevel
    public let status: Status
    /// The mode this source states is active; nil when it says nothing about the mode.
    public let impliedMode: MemoryEncryptionMode?
    /// One line for humans.
    public let summary: String
    /// Raw facts for the JSON output (register values, flag names, file contents).
    public let values: [String: JSONValue]
    /// vTOM (paravisor) mode, when this source can tell.
    public let vTOM: Bool?
    /// An SVSM or paravisor below the guest, when this source can tell.
    public let svsm: Bool?
    /// A non-AMD confidential guest this source recognised (for example "intel-tdx").
    public let otherTEE: String?

    public init(
        source: SignalSource, trust: TrustLevel, status: Status, impliedMode: MemoryEncryptionMode? = nil,
        summary: String, values: [String: JSONValue] = [:], vTOM: Bool? = nil, svsm: Bool? = nil, otherTEE: String? = nil
    ) {
        self.source = source
        self.trust = trust
        self.status = status
        self.impliedMode = impliedMode
        self.summary = summary
        self.values = values
        self.vTOM = vTOM
        self.svsm = svsm
        self.otherTEE = otherTEE
    }
}
