import SNPABI

/// Cuts the SNP_GET_EXT_REPORT certificate buffer to its table's extent, the way
/// `sev_report_new()` cuts configfs-tsm's `auxblob` (max(offset + length) over the entries), so
/// both interfaces return the same bytes. The table format is SNPABI's `CertificateTable`
/// (GHCB #56421 §4.1.8.1; docs/snp-abi.md §4.4).
enum GHCBCertificateTable {
    /// The buffer cut to the extent of its entries, or nil when the host supplied no
    /// certificates (an empty table). A table that does not parse is returned whole, unjudged:
    /// fetching is not verifying, and the verifier's parse names the defect.
    static func trimmed(_ buffer: [UInt8]) -> [UInt8]? {
        guard let table = try? CertificateTable(bytes: buffer) else { return buffer }
        guard let extent = table.entries.map({ Int($0.offset) + Int($0.length) }).max() else { return nil }
        return Array(buffer.prefix(extent))
    }
}
