import GuestGuardAppraisal
import KeyBrokerProtocol
import SNPABI

/// One RCAR session (`kbs-session-id`).
public struct BrokerSession: Sendable {
    public enum State: Sendable {
        /// Challenged: the nonce waits for exactly one attestation.
        case challenged(nonce: String)
        /// The nonce was used by an attestation that failed: the session is dead.
        case consumed
        /// Attested: the verified report and the key the guest proved it holds.
        /// `root` is the SHA-256 of the trusted ARK the evidence's chain ended in.
        case attested(report: AttestationReport, teePubkey: EphemeralPublicKey, root: [UInt8])
    }

    public let id: String
    public var expires: Int64
    public var state: State
    /// The SHA-256 PCR values of the TPM quote verified at `/attest`, by index; nil when the
    /// evidence carried no quote.
    public var tpmPCRs: [Int: [UInt8]]? = nil

    public init(id: String, expires: Int64, state: State, tpmPCRs: [Int: [UInt8]]? = nil) {
        self.id = id
        self.expires = expires
        self.state = state
        self.tpmPCRs = tpmPCRs
    }
}
