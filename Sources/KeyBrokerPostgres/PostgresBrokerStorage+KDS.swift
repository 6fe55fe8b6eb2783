import KeyBrokerServer
import NIOCore
import PostgresNIO

/// The KDS cache in PostgreSQL (`kds_documents`): every replica sees what any replica fetched.
extension PostgresBrokerStorage {
    public func kdsDocument(named name: String) async throws(BrokerStoreError) -> [UInt8]? {
        try await rows("SELECT body FROM kds_documents WHERE name = \(name)", as: ByteBuffer.self).first.map { Array($0.readableBytesView) }
    }

    public func storeKDSDocument(_ bytes: [UInt8], named name: String) async throws(BrokerStoreError) {
        let body = ByteBuffer(bytes: bytes)
        try await execute("""
            INSERT INTO kds_documents (name, body, stored_at) VALUES (\(name), \(body), extract(epoch FROM now())::bigint)
            ON CONFLICT (name) DO UPDATE SET body = EXCLUDED.body, stored_at = EXCLUDED.stored_at
            """)
    }
}
