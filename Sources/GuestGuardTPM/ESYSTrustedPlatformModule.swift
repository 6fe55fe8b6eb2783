import CTSS2
import GuestGuardPlatform

/// A TPM 2.0 over tss2-esys: one TCTI (from a ``TCTIConfiguration``) and one ESYS context, both
/// freed in `deinit`. Every ESYS output is released with `Esys_Free`; every transient object is
/// flushed before the call that created it returns.
///
/// Not thread-safe: ESYS contexts are single-threaded; use one instance per task.
public final class ESYSTrustedPlatformModule: TrustedPlatformModule {
    public let configuration: TCTIConfiguration
    private var tcti: OpaquePointer?
    private var context: OpaquePointer?

    /// Opens the TCTI and the ESYS context.
    /// The corresponding C functions are `Tss2_TctiLdr_Initialize` and `Esys_Initialize`.
    public init(configuration: TCTIConfiguration = .defaultDevice) throws(TPMError) {
        self.configuration = configuration
        var tcti: OpaquePointer?
        try Self.check(Tss2_TctiLdr_Initialize(configuration.loaderString, &tcti), "Tss2_TctiLdr_Initialize(\(configuration))")
        var context: OpaquePointer?
        let rc = Esys_Initialize(&context, tcti, nil)
        guard rc == TSS2_RC_SUCCESS else {
            Tss2_TctiLdr_Finalize(&tcti)
            throw Self.error(rc, "Esys_Initialize")
        }
        self.tcti = tcti
        self.context = context
    }

    deinit {
        Esys_Finalize(&context)
        Tss2_TctiLdr_Finalize(&tcti)
    }

    /// The corresponding C function is `Esys_PCR_Read` (at most eight digests per call).
    public func readPCRs(_ indices: [Int]) throws(TPMError) -> [Int: [UInt8]] {
        try Self.checkIndices(indices, operation: "Esys_PCR_Read")
        var values: [Int: [UInt8]] = [:]
        var pending = Array(Set(indices)).sorted()
        while !pending.isEmpty {
            var selection = PCRSelection.sha256(pending)
            var updateCounter: UInt32 = 0
            var selectionOut: UnsafeMutablePointer<TPML_PCR_SELECTION>?
            var digests: UnsafeMutablePointer<TPML_DIGEST>?
            try Self.check(
                Esys_PCR_Read(context, ESYS_TR(ESYS_TR_NONE), ESYS_TR(ESYS_TR_NONE), ESYS_TR(ESYS_TR_NONE), &selection,
                              &updateCounter, &selectionOut, &digests), "Esys_PCR_Read")
            defer {
                Esys_Free(selectionOut)
                Esys_Free(digests)
            }
            guard let selectionOut, let digests else { throw TPMError(operation: "Esys_PCR_Read", responseCode: 0, message: "no output") }
            // The TPM answers the lowest selected PCRs first and clears them from the returned selection.
            let answered = PCRSelection.indices(in: selectionOut.pointee)
            let list = PCRSelection.digests(digests.pointee)
            guard !answered.isEmpty, answered.count == list.count, answered.allSatisfy(pending.contains) else {
                throw TPMError(operation: "Esys_PCR_Read", responseCode: 0,
                               message: "the TPM returned \(list.count) digests for PCRs \(answered) of \(pending) (is the SHA-256 bank allocated?)")
            }
            for (index, value) in zip(answered, list) { values[index] = value }
            pending.removeAll { answered.contains($0) }
        }
        return values
    }

    /// The corresponding C function is `Esys_PCR_Extend`.
    public func extendPCR(_ index: Int, sha256 digest: [UInt8]) throws(TPMError) {
        try Self.checkIndices([index], operation: "Esys_PCR_Extend")
        guard digest.count == 32 else {
            throw TPMError(operation: "Esys_PCR_Extend", responseCode: 0, message: "a SHA-256 digest has 32 bytes, not \(digest.count)")
        }
        var values = TPML_DIGEST_VALUES()
        values.count = 1
        values.digests.0.hashAlg = TPMI_ALG_HASH(TPM2_ALG_SHA256)
        withUnsafeMutableBytes(of: &values.digests.0.digest) { buffer in
            buffer.copyBytes(from: digest)
        }
        try Self.check(
            Esys_PCR_Extend(context, ESYS_TR(ESYS_TR_PCR0) + ESYS_TR(index), ESYS_TR(ESYS_TR_PASSWORD), ESYS_TR(ESYS_TR_NONE),
                            ESYS_TR(ESYS_TR_NONE), &values), "Esys_PCR_Extend(\(index))")
    }

    /// The corresponding C function is `Esys_GetCapability` (TPM2_CAP_TPM_PROPERTIES).
    public func properties() throws(TPMError) -> TPMProperties {
        let first = TPMPropertyTag.manufacturer
        let wanted = try fixedProperties(from: first, count: TPMPropertyTag.firmwareVersion2 - first + 1)
        let vendor = (0..<4).map { TPMProperties.characters(of: wanted[TPMPropertyTag.vendorString1 + UInt32($0)] ?? 0) }.joined()
        return TPMProperties(
            manufacturer: TPMProperties.characters(of: wanted[first] ?? 0), vendorString: vendor,
            firmwareVersion: (wanted[TPMPropertyTag.firmwareVersion1] ?? 0, wanted[TPMPropertyTag.firmwareVersion2] ?? 0))
    }

    private func fixedProperties(from first: UInt32, count: UInt32) throws(TPMError) -> [UInt32: UInt32] {
        var more: TPMI_YES_NO = 0
        var data: UnsafeMutablePointer<TPMS_CAPABILITY_DATA>?
        try Self.check(
            Esys_GetCapability(context, ESYS_TR(ESYS_TR_NONE), ESYS_TR(ESYS_TR_NONE), ESYS_TR(ESYS_TR_NONE),
                               TPM2_CAP(TPM2_CAP_TPM_PROPERTIES), first, count, &more, &data), "Esys_GetCapability")
        defer { Esys_Free(data) }
        guard let data else { throw TPMError(operation: "Esys_GetCapability", responseCode: 0, message: "no output") }
        var properties: [UInt32: UInt32] = [:]
        var list = data.pointee.data.tpmProperties
                withUnsafeBytes(of: &list.tpmProperty) { raw in
            for entry in raw.bindMemory(to: TPMS_TAGGED_PROPERTY.self).prefix(Int(list.count)) { properties[entry.property] = entry.value }
        }
        return properties
    }

    /// The corresponding C functions are `Esys_CreatePrimary`, `Esys_Quote`, `Esys_FlushContext`
    /// and `Tss2_MU_TPMT_PUBLIC_Marshal` / `Tss2_MU_TPMT_SIGNATURE_Marshal`.
    public func quote(pcrs: [Int], qualifyingData: [UInt8]) throws(TPMError) -> TPMQuote {
        try Self.checkIndices(pcrs, operation: "Esys_Quote")
        guard qualifyingData.count <= 64 else {
            throw TPMError(operation: "Esys_Quote", responseCode: 0, message: "qualifying data of \(qualifyingData.count) bytes exceeds 64")
        }
        let key = try createAttestationKey()
        defer { Esys_FlushContext(context, key.handle) }
        var extra = TPM2B_DATA()
        extra.size = UInt16(qualifyingData.count)
        withUnsafeMutableBytes(of: &extra.buffer) { $0.copyBytes(from: qualifyingData) }
        var scheme = TPMT_SIG_SCHEME()
        scheme.scheme = TPMI_ALG_SIG_SCHEME(TPM2_ALG_NULL)
        var selection = PCRSelection.sha256(pcrs)
        var quoted: UnsafeMutablePointer<TPM2B_ATTEST>?
        var signature: UnsafeMutablePointer<TPMT_SIGNATURE>?
        try Self.check(
            Esys_Quote(context, key.handle, ESYS_TR(ESYS_TR_PASSWORD), ESYS_TR(ESYS_TR_NONE), ESYS_TR(ESYS_TR_NONE),
                       &extra, &scheme, &selection, &quoted, &signature), "Esys_Quote")
        defer {
            Esys_Free(quoted)
            Esys_Free(signature)
        }
        guard let quoted, let signature else { throw TPMError(operation: "Esys_Quote", responseCode: 0, message: "no output") }
        var body = quoted.pointee
        let attest = withUnsafeBytes(of: &body.attestationData) { Array($0.prefix(Int(body.size))) }
        let signatureBytes = try Self.marshal("Tss2_MU_TPMT_SIGNATURE_Marshal") { buffer, size, offset in
            Tss2_MU_TPMT_SIGNATURE_Marshal(signature, buffer, size, offset)
        }
        return TPMQuote(attest: attest, signature: signatureBytes, attestationKeyPublic: key.publicArea)
    }

    /// A primary restricted signing key (ECC P-256, ECDSA/SHA-256) under the endorsement
    /// hierarchy: fixedTPM, fixedParent, sensitiveDataOrigin, userWithAuth, restricted, sign.
    private func createAttestationKey() throws(TPMError) -> (handle: ESYS_TR, publicArea: [UInt8]) {
        var sensitive = TPM2B_SENSITIVE_CREATE()
        var template = TPM2B_PUBLIC()
        template.publicArea.type = TPMI_ALG_PUBLIC(TPM2_ALG_ECC)
        template.publicArea.nameAlg = TPMI_ALG_HASH(TPM2_ALG_SHA256)
        template.publicArea.objectAttributes = TPMA_OBJECT(AttestationKeyTemplate.objectAttributes)
        template.publicArea.parameters.eccDetail.symmetric.algorithm = TPMI_ALG_SYM_OBJECT(TPM2_ALG_NULL)
        template.publicArea.parameters.eccDetail.scheme.scheme = TPMI_ALG_ECC_SCHEME(TPM2_ALG_ECDSA)
        template.publicArea.parameters.eccDetail.scheme.details.ecdsa.hashAlg = TPMI_ALG_HASH(TPM2_ALG_SHA256)
        template.publicArea.parameters.eccDetail.curveID = TPMI_ECC_CURVE(TPM2_ECC_NIST_P256)
        template.publicArea.parameters.eccDetail.kdf.scheme = TPMI_ALG_KDF(TPM2_ALG_NULL)
        var outside = TPM2B_DATA()
        var creationPCR = TPML_PCR_SELECTION()
        var handle = ESYS_TR(ESYS_TR_NONE)
        var outPublic: UnsafeMutablePointer<TPM2B_PUBLIC>?
        var creationData: UnsafeMutablePointer<TPM2B_CREATION_DATA>?
        var creationHash: UnsafeMutablePointer<TPM2B_DIGEST>?
        var ticket: UnsafeMutablePointer<TPMT_TK_CREATION>?
        try Self.check(
            Esys_CreatePrimary(context, ESYS_TR(ESYS_TR_RH_ENDORSEMENT), ESYS_TR(ESYS_TR_PASSWORD), ESYS_TR(ESYS_TR_NONE),
                               ESYS_TR(ESYS_TR_NONE), &sensitive, &template, &outside, &creationPCR, &handle, &outPublic,
                               &creationData, &creationHash, &ticket), "Esys_CreatePrimary(attestation key)")
        defer {
            Esys_Free(outPublic)
            Esys_Free(creationData)
            Esys_Free(creationHash)
            Esys_Free(ticket)
        }
        do throws(TPMError) {
            guard let outPublic else { throw TPMError(operation: "Esys_CreatePrimary", responseCode: 0, message: "no public area") }
            let publicArea = try Self.marshal("Tss2_MU_TPMT_PUBLIC_Marshal") { buffer, size, offset in
                withUnsafePointer(to: &outPublic.pointee.publicArea) { Tss2_MU_TPMT_PUBLIC_Marshal($0, buffer, size, offset) }
            }
            return (handle, publicArea)
        } catch {
            Esys_FlushContext(context, handle)
            throw error
        }
    }

    private static func marshal(
        _ operation: String, _ body: (UnsafeMutablePointer<UInt8>, Int, UnsafeMutablePointer<Int>) -> TSS2_RC
    ) throws(TPMError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 4096)
        var offset = 0
        let rc = buffer.withUnsafeMutableBufferPointer { body($0.baseAddress!, $0.count, &offset) }
        try check(rc, operation)
        return Array(buffer.prefix(offset))
    }

    private static func checkIndices(_ indices: [Int], operation: String) throws(TPMError) {
        guard !indices.isEmpty else { throw TPMError(operation: operation, responseCode: 0, message: "no PCR selected") }
        if let bad = indices.first(where: { !(0..<PCRSelection.pcrCount).contains($0) }) {
            throw TPMError(operation: operation, responseCode: 0, message: "PCR \(bad) is outside 0…\(PCRSelection.pcrCount - 1)")
        }
    }

    static func check(_ rc: TSS2_RC, _ operation: String) throws(TPMError) {
        guard rc == TSS2_RC_SUCCESS else { throw error(rc, operation) }
    }

    /// The corresponding C function is `Tss2_RC_Decode`.
    static func error(_ rc: TSS2_RC, _ operation: String) -> TPMError {
        let text = Tss2_RC_Decode(rc).map { String(cString: $0) } ?? "unknown response code"
        return TPMError(operation: operation, responseCode: rc, message: text)
    }
}

/// TPM_PT values of the fixed group (TPM 2.0 Part 2, §6.13; PT_FIXED = 0x100). Spelled out
/// because tss2's compound macros (`TPM2_PT_FIXED + 5`) do not import into Swift.
enum TPMPropertyTag {
    static let manufacturer: UInt32 = 0x105
    static let vendorString1: UInt32 = 0x106
    static let firmwareVersion1: UInt32 = 0x10B
    static let firmwareVersion2: UInt32 = 0x10C
}

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
