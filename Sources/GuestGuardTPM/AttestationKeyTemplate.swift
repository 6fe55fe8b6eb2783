/// The object attributes of guestguard's attestation key (TPM 2.0 Part 2, §8.3 TPMA_OBJECT):
/// the verifier requires the same restricted-signing bits (`TPMEvidence.TPMPublicArea`).
enum AttestationKeyTemplate {
    static let fixedTPM: UInt32 = 0x0000_0002
    static let fixedParent: UInt32 = 0x0000_0010
    static let sensitiveDataOrigin: UInt32 = 0x0000_0020
    static let userWithAuth: UInt32 = 0x0000_0040
    static let restricted: UInt32 = 0x0001_0000
    static let sign: UInt32 = 0x0004_0000
    static let objectAttributes = fixedTPM | fixedParent | sensitiveDataOrigin | userWithAuth | restricted | sign
}
