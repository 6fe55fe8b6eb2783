import GuestGuardPlatform

/// The KDS cache of the embedded store: one file per document, `DATA/kds/<cache name>`, written
/// atomically like the keys, so a restarted broker (or a replica sharing the directory) does not
/// ask KDS again.
extension EmbeddedBrokerStorage {
    /// The largest KDS document kept (a VCEK is ~1.3 KB, a chain ~4 KB, AMD's CRLs a few KB).
    static let kdsDocumentLimit = 1 << 20

    func kdsPath(_ name: String) throws(BrokerStoreError) -> String {
        guard !name.isEmpty, name.count <= 200, !name.hasPrefix("."),
              name.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || $0 == 0x2D || $0 == 0x2E || $0 == 0x5F })
        else { throw .corrupt("KDS cache name \(String(reflecting: name)) is not a plain file name") }
        return files.root + "/kds/" + name
    }

    public func kdsDocument(named name: String) throws(BrokerStoreError) -> [UInt8]? {
        let path = try kdsPath(name)
        guard files.files.exists(path) else { return nil }
        do { return try files.files.readFile(path, limit: Self.kdsDocumentLimit) } catch { throw .file(error) }
    }

    public func storeKDSDocument(_ bytes: [UInt8], named name: String) throws(BrokerStoreError) {
        let path = try kdsPath(name)
        do {
            try files.files.createDirectory(files.root + "/kds", mode: 0o700)
            try files.files.writeFile(path, bytes: bytes, mode: 0o600)
        } catch { throw .file(error) }
    }
}
