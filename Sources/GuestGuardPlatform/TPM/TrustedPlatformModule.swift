/// A TPM 2.0 (usually a vTPM: inside the CVM through an SVSM, or provided by the hypervisor),
/// reached through the TCG software stack. Implemented over tss2-esys by
/// `GuestGuardTPM.ESYSTrustedPlatformModule`; tests run the same implementation against swtpm.
///
/// Only the SHA-256 PCR bank is used. A hypervisor-provided vTPM is *not* trusted: it can report
/// any PCR value and sign any quote; see `docs/tpm.md`.
public protocol TrustedPlatformModule: AnyObject {
    /// The SHA-256 bank values of `indices` (each 0…23), keyed by index (TPM2_PCR_Read).
    func readPCRs(_ indices: [Int]) throws(TPMError) -> [Int: [UInt8]]
    /// Extends PCR `index` in the SHA-256 bank with a 32-byte `digest` (TPM2_PCR_Extend):
    /// `PCR ← SHA-256(PCR ‖ digest)`.
    func extendPCR(_ index: Int, sha256 digest: [UInt8]) throws(TPMError)
    /// The fixed properties that identify the TPM's maker (TPM2_GetCapability, TPM_PT_MANUFACTURER…).
    func properties() throws(TPMError) -> TPMProperties
    /// Creates a transient restricted ECC P-256 signing key (an attestation key) under the
    /// endorsement hierarchy, quotes `pcrs` of the SHA-256 bank with `qualifyingData` as
    /// extraData (TPM2_Quote), and flushes the key.
    func quote(pcrs: [Int], qualifyingData: [UInt8]) throws(TPMError) -> TPMQuote
}
