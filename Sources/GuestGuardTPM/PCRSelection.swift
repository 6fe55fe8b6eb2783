import CTSS2

/// TPML_PCR_SELECTION helpers for the SHA-256 bank (TPM 2.0 Part 2, §10.6.2 / §10.9.7).
enum PCRSelection {
    /// PCRs 0…23 (the PC Client platform's count).
    static let pcrCount = 24

    /// One TPMS_PCR_SELECTION for SHA-256 with `indices` set (3-octet bitmap).
    static func sha256(_ indices: [Int]) -> TPML_PCR_SELECTION {
        var list = TPML_PCR_SELECTION()
        list.count = 1
        list.pcrSelections.0.hash = TPMI_ALG_HASH(TPM2_ALG_SHA256)
        list.pcrSelections.0.sizeofSelect = 3
        withUnsafeMutableBytes(of: &list.pcrSelections.0.pcrSelect) { bitmap in
            for index in indices { bitmap[index / 8] |= UInt8(1) << (index % 8) }
        }
        return list
    }

    /// The indices set in the SHA-256 entry of `list`, ascending.
    static func indices(in list: TPML_PCR_SELECTION) -> [Int] {
        var list = list
        let count = min(Int(list.count), Int(TPM2_NUM_PCR_BANKS))
        return withUnsafeBytes(of: &list.pcrSelections) { raw in
            var found: [Int] = []
            for selection in raw.bindMemory(to: TPMS_PCR_SELECTION.self).prefix(count) where selection.hash == TPM2_ALG_SHA256 {
                var bitmap = selection.pcrSelect
                withUnsafeBytes(of: &bitmap) { bytes in
                    for index in 0..<(min(Int(selection.sizeofSelect), bytes.count) * 8) where bytes[index / 8] & (1 << (index % 8)) != 0 {
                        found.append(index)
                    }
                }
            }
            return found
        }
    }

    /// The digests of a TPML_DIGEST, in order.
    static func digests(_ list: TPML_DIGEST) -> [[UInt8]] {
        var list = list
        let count = min(Int(list.count), 8)
        return withUnsafeBytes(of: &list.digests) { raw in
            raw.bindMemory(to: TPM2B_DIGEST.self).prefix(count).map { entry in
                var entry = entry
                return withUnsafeBytes(of: &entry.buffer) { Array($0.prefix(Int(entry.size))) }
            }
        }
    }
}
