/// Why a launch measurement could not be computed. Every case names the input and, for firmware
/// structures, the byte offset in the image where the problem sits.
public enum MeasurementError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The image is not a whole number of 4 KiB pages, or too small to hold the footer table.
    case firmwareSize(image: String, byteCount: Int, reason: String)
    /// The GUIDed footer table (OVMF `ResetVectorVtf0.asm`) is malformed at `offset`.
    case footerTable(image: String, offset: Int, reason: String)
    /// A required footer-table entry is missing or too short.
    case missingFooterEntry(image: String, entry: String)
    /// The SEV metadata (`OvmfSevMetadata.asm`, signature `ASEV`) is malformed at `offset`.
    case sevMetadata(image: String, offset: Int, reason: String)
    /// A metadata section descriptor (index `index`, at `offset`) is invalid.
    case metadataSection(image: String, index: Int, offset: Int, reason: String)
    /// Kernel hashes were requested but the firmware cannot carry them.
    case kernelHashesUnsupported(String)
    /// The firmware places something outside the guest's 4 GiB address space (SVSM layout).
    case layout(String)
    /// An input value outside what the measurement accepts (vCPU count, signature, seed, …).
    case invalidInput(what: String, reason: String)
    /// The injected digest implementation failed.
    case digestFailed(String)

    public var description: String {
        switch self {
        case .firmwareSize(let image, let byteCount, let reason):
            "\(image): \(byteCount) bytes: \(reason)"
        case .footerTable(let image, let offset, let reason):
            "\(image): footer GUID table at offset \(hex(offset)): \(reason)"
        case .missingFooterEntry(let image, let entry):
            "\(image): the footer GUID table has no usable \(entry) entry"
        case .sevMetadata(let image, let offset, let reason):
            "\(image): SEV metadata at offset \(hex(offset)): \(reason)"
        case .metadataSection(let image, let index, let offset, let reason):
            "\(image): SEV metadata section \(index) at offset \(hex(offset)): \(reason)"
        case .kernelHashesUnsupported(let reason):
            reason
        case .layout(let reason):
            reason
        case .invalidInput(let what, let reason):
            "\(what): \(reason)"
        case .digestFailed(let reason):
            "digest failed: \(reason)"
        }
    }
}

/// `0x1F0`-style text for offsets and addresses in messages.
func hex(_ value: some BinaryInteger) -> String { "0x" + String(value, radix: 16, uppercase: true) }
