@testable import GuestGuardHTTP
import NIOCore
import NIOEmbedded
import Testing

/// `OpenSSLHandler` on `EmbeddedChannel`s: a client and a server handshake with each other while
/// the test carries every ciphertext record by hand, and the TLS failure paths (garbage instead of
/// a ClientHello, a peer gone mid-handshake, a pin that does not match, a broken record) end with
/// the named `TLSError`. Pins and digests are the openssl CLI's (TLSTestMaterial), not our own.
@Suite struct OpenSSLHandlerEmbeddedTests {
    /// What reaches the application side of the TLS handler.
    final class Application: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        var plaintext = ""
        var errors: [TLSError] = []
        var otherErrors: [any Error] = []
        var sawInactive = false

        func channelRead(context: ChannelHandlerContext, data: NIOAny) { plaintext += String(buffer: unwrapInboundIn(data)) }
        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            if let error = error as? TLSError { errors.append(error) } else { otherErrors.append(error) }
        }
        func channelInactive(context: ChannelHandlerContext) { sawInactive = true }
    }

    /// One side: its channel, what its application saw, and how its handshake ended (nil: not yet).
    final class Endpoint {
        let channel = EmbeddedChannel()
        let application = Application()
        var handshake: Result<Void, any Error>?

        init(_ context: TLSContext, peerName: String? = nil) throws {
            let promise = channel.eventLoop.makePromise(of: Void.self)
            promise.futureResult.whenComplete { self.handshake = $0 }
            try channel.pipeline.syncOperations.addHandler(OpenSSLHandler(connection: try TLSConnection(context: context, peerName: peerName), handshakePromise: promise))
            try channel.pipeline.syncOperations.addHandler(application)
        }

        func connect() throws { try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 4443)).wait() }

        func write(_ text: String) { channel.writeAndFlush(channel.allocator.buffer(string: text), promise: nil) }

        var handshakeSucceeded: Bool { if case .success = handshake { true } else { false } }
        var handshakeError: TLSError? { if case .failure(let error) = handshake { error as? TLSError } else { nil } }
    }

    static func server() throws -> Endpoint {
        let material = try TLSTestMaterial.shared()
        return try Endpoint(.server(TLSServerConfiguration(certificateChainPEM: material.serverChainPEM, privateKeyPEM: material.serverKeyPEM)))
    }

    static func client(_ verification: TLSClientConfiguration.Verification, peerName: String = "127.0.0.1") throws -> Endpoint {
        try Endpoint(.client(TLSClientConfiguration(verification: verification)), peerName: peerName)
    }

    /// Carries ciphertext both ways until neither side has any left; returns the records moved.
    @discardableResult
    static func exchange(_ a: Endpoint, _ b: Endpoint) throws -> Int {
        var moved = 0
        for _ in 0..<64 {
            var progress = false
            for (from, to) in [(a, b), (b, a)] {
                while let record = try from.channel.readOutbound(as: ByteBuffer.self) {
                    progress = true
                    moved += 1
                    if to.channel.isActive { try to.channel.writeInbound(record) }
                }
            }
            if !progress { return moved }
        }
        Issue.record("ciphertext kept flowing after 64 rounds")
        return moved
    }

    static func connected(_ client: Endpoint, _ server: Endpoint) throws {
        try server.connect()
        try client.connect()
        try exchange(client, server)
    }

    // MARK: A handshake between two embedded channels

    @Test func aPinnedLeafHandshakeCarriesDataBothWaysAndClosesCleanly() throws {
        let material = try TLSTestMaterial.shared()
        let server = try Self.server()
        let client = try Self.client(.pinnedLeaf([try TLSLeafPin(kind: .subjectPublicKeyInfo, hex: material.publicKeySHA256)]))
        client.write("written before the handshake, ")  // held until the handshake is done
        try Self.connected(client, server)
        #expect(client.handshakeSucceeded && server.handshakeSucceeded)

        client.write("ping")
        try Self.exchange(client, server)
        #expect(server.application.plaintext == "written before the handshake, ping")
        server.write("pong")
        try Self.exchange(client, server)
        #expect(client.application.plaintext == "pong")

        // Our close sends close_notify; the server answers with its own and closes: no truncation error anywhere.
        client.channel.close(promise: nil)
        try Self.exchange(client, server)
        #expect(!server.channel.isActive)
        #expect(server.application.errors.isEmpty && client.application.errors.isEmpty, "\(server.application.errors) \(client.application.errors)")
    }

    @Test func aPinnedCAHandshakeChecksTheHostName() throws {
        let material = try TLSTestMaterial.shared()
        let server = try Self.server()
        let client = try Self.client(.pinnedCA(pem: material.caPEM), peerName: "localhost")
        try Self.connected(client, server)
        #expect(client.handshakeSucceeded)

        let otherServer = try Self.server()
        let wrongName = try Self.client(.pinnedCA(pem: material.caPEM), peerName: "broker.example")
        try Self.connected(wrongName, otherServer)
        guard case .certificateVerificationFailed(let code, _) = wrongName.handshakeError else {
            Issue.record("want a verification failure, got \(String(describing: wrongName.handshake))")
            return
        }
        #expect(code == 62, "X509_V_ERR_HOSTNAME_MISMATCH")
        #expect(wrongName.application.errors.count == 1 && !wrongName.channel.isActive)
    }

    @Test func aLeafPinMismatchNamesTheDigestsTheOpenSSLCLIComputes() throws {
        let material = try TLSTestMaterial.shared()
        let server = try Self.server()
        let client = try Self.client(.pinnedLeaf([try TLSLeafPin(kind: .certificate, sha256: [UInt8](repeating: 0xEE, count: 32))]))
        try Self.connected(client, server)
        #expect(client.handshakeError == .leafPinMismatch(certificateSHA256: material.certificateSHA256, publicKeySHA256: material.publicKeySHA256))
        #expect(client.application.errors == [client.handshakeError].compactMap { $0 })
        #expect(!client.channel.isActive)
        #expect(!server.handshakeSucceeded, "the server saw the client's alert or close, never a finished handshake")
    }

    // MARK: TLS errors

    @Test(arguments: ["GET / HTTP/1.1\r\nHost: a\r\n\r\n", "\u{16}\u{03}\u{01}\u{00}\u{05}hello", String(repeating: "\u{0}", count: 64)])
    func garbageInsteadOfAClientHelloFailsTheHandshake(_ garbage: String) throws {
        let server = try Self.server()
        try server.connect()
        try server.channel.writeInbound(server.channel.allocator.buffer(string: garbage))
        guard case .handshakeFailed(let queue) = server.handshakeError else {
            Issue.record("want handshakeFailed, got \(String(describing: server.handshake))")
            return
        }
        #expect(queue.operation == "SSL_do_handshake")
        #expect(!queue.entries.isEmpty, "OpenSSL's reason is kept")
        #expect(server.application.errors == [.handshakeFailed(queue)])
        #expect(!server.channel.isActive)
        #expect(server.application.plaintext.isEmpty)
    }

    @Test func aPeerGoneMidHandshakeIsClosedDuringHandshake() throws {
        let server = try Self.server()
        let client = try Self.client(.pinnedCA(pem: try TLSTestMaterial.shared().caPEM))
        try server.connect()
        try client.connect()
        // The ClientHello reaches the server; then the client's connection drops.
        while let record = try client.channel.readOutbound(as: ByteBuffer.self) { try server.channel.writeInbound(record) }
        server.channel.pipeline.fireChannelInactive()
        #expect(server.handshakeError == .closedDuringHandshake)
        #expect(server.application.errors == [.closedDuringHandshake])
        #expect(server.application.sawInactive)
    }

    @Test func aChannelClosedBeforeItsHandshakeStartedFailsOnlyThePromise() throws {
        let client = try Self.client(.pinnedCA(pem: try TLSTestMaterial.shared().caPEM))
        client.channel.pipeline.fireChannelInactive()  // never active: no ClientHello was sent
        #expect(client.handshakeError == .closedDuringHandshake)
        #expect(client.application.errors.isEmpty)
        #expect(try client.channel.readOutbound(as: ByteBuffer.self) == nil)
    }

    @Test func aConnectionDroppedWithoutCloseNotifyIsAnUncleanShutdown() throws {
        let material = try TLSTestMaterial.shared()
        let server = try Self.server()
        let client = try Self.client(.pinnedLeaf([try TLSLeafPin(kind: .certificate, hex: material.certificateSHA256)]))
        try Self.connected(client, server)
        #expect(client.handshakeSucceeded)
        client.channel.pipeline.fireChannelInactive()
        #expect(client.application.errors == [.uncleanShutdown])
    }

    @Test func aCorruptRecordAfterTheHandshakeIsAProtocolError() throws {
        let material = try TLSTestMaterial.shared()
        let server = try Self.server()
        let client = try Self.client(.pinnedLeaf([try TLSLeafPin(kind: .certificate, hex: material.certificateSHA256)]))
        try Self.connected(client, server)
        client.write("secret")
        var record = try #require(try client.channel.readOutbound(as: ByteBuffer.self))
        let last = record.writerIndex - 1
        record.setInteger(record.getInteger(at: last, as: UInt8.self)! ^ 0x01, at: last)  // flip a tag bit
        try server.channel.writeInbound(record)
        guard case .protocolError(let queue) = server.application.errors.first else {
            Issue.record("want protocolError, got \(server.application.errors)")
            return
        }
        #expect(queue.firstReason == "decryption failed or bad record mac", "\(queue)")
        #expect(server.application.plaintext.isEmpty, "nothing of a forged record reaches the application")
        #expect(!server.channel.isActive)
    }
}
