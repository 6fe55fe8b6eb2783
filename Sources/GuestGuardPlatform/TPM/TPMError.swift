/// A TPM operation that failed: which one, and the TSS2 response code with the text
/// `Tss2_RC_Decode` gives for it (house style: `TSS2_RC` becomes a typed error naming the operation).
public struct TPMError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The ESYS / TCTI call, e.g. `"Esys_Quote"`, or a guestguard-side step.
    public let operation: String
    /// The TSS2_RC (0 when the failure is not a TPM response, e.g. an invalid argument).
    public let responseCode: UInt32
    /// `Tss2_RC_Decode(responseCode)`, or the reason for a guestguard-side failure.
    public let message: String

    public init(operation: String, responseCode: UInt32, message: String) {
        self.operation = operation
        self.responseCode = responseCode
        self.message = message
    }

    public var description: String {
        responseCode == 0 ? "\(operation): \(message)" : "\(operation): \(message) (TSS2_RC 0x\(String(responseCode, radix: 16)))"
    }
}
