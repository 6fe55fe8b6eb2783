import Foundation
import GuestGuardHTTP
import Testing

/// TLS over the system OpenSSL: our client and server with each kind of pin, the failures each
/// pin must produce, and interop with `openssl s_server` and `curl`.
@Suite struct TLSTests {
    static func server(_ material: TLSTestMaterial, minimumVersion: TLSVersion = .v1_2) -> TLSServerConfiguration {
        TLSServerConfiguration(certificateChainPEM: material.serverChainPEM, privateKeyPEM: material.serverKeyPEM, minimumVersion: minimumVersion)
    }

    static func client(_ verification: TLSClientConfiguration.Verification, serverName: String? = nil) throws -> HTTPClient {
        try HTTPClient(
            configuration: HTTPClientConfiguration(
                tls: TLSClientConfiguration(verification: verification, serverNameOverride: serverName), requestTimeout: .seconds(10)))
    }

    @Test(arguments: ["localhost", "127.0.0.1"])
    func caPinnedRoundTrip(host: String) async throws {
        let material = try TLSTestMaterial.shared()
        try await TestServer.with(tls: Self.server(material)) { _, port in
            let client = try Self.client(.pinnedCA(pem: material.caPEM))
            defer { client.shutdown() }
            let hello = try await client.execute(HTTPClientRequest(method: .get, url: HTTPURL("https://\(host):\(port)/hello")))
            #expect(hello.body == Array("hello".utf8))
            // A second request rides the same TLS connection.
            let url = try HTTPURL("https://\(host):\(port)/peer")
            let first = try await client.execute(HTTPClientRequest(method: .get, url: url))
            let second = try await client.execute(HTTPClientRequest(method: .post, url: url.replacingTarget("/echo"), body: Array("x".utf8)))
            let third = try await client.execute(HTTPClientRequest(method: .get, url: url))
            #expect(first.body == third.body)
            #expect(second.body == Array("x".utf8))
        }
    }

    @Test(arguments: [TLSLeafPin.Kind.certificate, .subjectPublicKeyInfo])
    func leafPinnedRoundTrip(kind: TLSLeafPin.Kind) async throws {
        let material = try TLSTestMaterial.shared()
        let hex = kind == .certificate ? material.certificateSHA256 : material.publicKeySHA256
        try await TestServer.with(tls: Self.server(material)) { _, port in
            // A wrong pin next to the right one: any match is enough (key rotation).
            let pins = [try TLSLeafPin(kind: kind, sha256: [UInt8](repeating: 7, count: 32)), try TLSLeafPin(kind: kind, hex: hex)]
            let client = try Self.client(.pinnedLeaf(pins))
            defer { client.shutdown() }
            let response = try await client.execute(HTTPClientRequest(method: .get, url: HTTPURL("https://127.0.0.1:\(port)/hello")))
            #expect(response.body == Array("hello".utf8))
        }
    }

    @Test func wrongLeafPinIsRefusedAndNamesWhatItSaw() async throws {
        let material = try TLSTestMaterial.shared()
        try await TestServer.with(tls: Self.server(material)) { _, port in
            let client = try Self.client(.pinnedLeaf([try TLSLeafPin(kind: .subjectPublicKeyInfo, sha256: [UInt8](repeating: 0xAB, count: 32))]))
            let expected = HTTPClientError.tls(
                .leafPinMismatch(certificateSHA256: material.certificateSHA256, publicKeySHA256: material.publicKeySHA256))
            await #expect(throws: expected) {
                try await client.execute(HTTPClientRequest(method: .get, url: HTTPURL("https://127.0.0.1:\(port)/hello")))
            }
            try await expectServingOverTLS(port: port, material: material)
        }
    }

    @Test func hostNameMismatchIsRefused() async throws {
        let material = try TLSTestMaterial.shared()
        try await TestServer.with(tls: Self.server(material)) { _, port in
            let client = try Self.client(.pinnedCA(pem: material.caPEM), serverName: "kbs.not-this-server.test")
            await #expect(throws: HTTPClientError.tls(.certificateVerificationFailed(code: 62, reason: "hostname mismatch"))) {
                try await client.execute(HTTPClientRequest(method: .get, url: HTTPURL("https://127.0.0.1:\(port)/hello")))
            }
            // An IP the certificate does not list fails the same way.
            let byIP = try Self.client(.pinnedCA(pem: material.caPEM), serverName: "127.0.0.2")
            await #expect(throws: HTTPClientError.tls(.certificateVerificationFailed(code: 64, reason: "IP address mismatch"))) {
                try await byIP.execute(HTTPClientRequest(method: .get, url: HTTPURL("https://127.0.0.1:\(port)/hello")))
            }
        }
    }

    @Test func otherCAIsRefused() async throws {
        let material = try TLSTestMaterial.shared()
        try await TestServer.with(tls: Self.server(material)) { _, port in
            let client = try Self.client(.pinnedCA(pem: material.otherCAPEM))
            await #expect(throws: HTTPClientError.tls(.certificateVerificationFailed(code: 20, reason: "unable to get local issuer certificate"))) {
                try await client.execute(HTTPClientRequest(method: .get, url: HTTPURL("https://localhost:\(port)/hello")))
            }
        }
    }

    @Test func tlsClientAgainstPlainServerNamesOpenSSLsReason() async throws {
        let material = try TLSTestMaterial.shared()
        try await TestServer.with { _, port in
            let client = try Self.client(.pinnedCA(pem: material.caPEM))
            await #expect {
                try await client.execute(HTTPClientRequest(method: .get, url: HTTPURL("https://127.0.0.1:\(port)/hello")))
            } throws: { error in
                guard case HTTPClientError.tls(.handshakeFailed(let queue)) = error else { return false }
                return queue.firstReason == "wrong version number" || queue.firstReason == "packet length too long"
            }
        }
    }

    @Test func limitsHoldOverTLS() async throws {
        let material = try TLSTestMaterial.shared()
        try await TestServer.with(tls: Self.server(material)) { _, port in
            let client = try Self.client(.pinnedCA(pem: material.caPEM))
            let big = HTTPClientRequest(
                method: .get, url: try HTTPURL("https://localhost:\(port)/hello"), headers: ["X-Filler": String(repeating: "f", count: 5000)])
            #expect(try await client.execute(big).status == .requestHeaderFieldsTooLarge)
            let huge = HTTPClientRequest(method: .post, url: try HTTPURL("https://localhost:\(port)/echo"), body: [UInt8](repeating: 1, count: 70_000))
            let hugeResponse = try await client.execute(huge)
            #expect(hugeResponse.status == .contentTooLarge, "\(hugeResponse.status) \(String(decoding: hugeResponse.body, as: UTF8.self))")
            try await expectServingOverTLS(port: port, material: material)
        }
    }

    @Test func plainClientAgainstTLSServerIsDropped() async throws {
        let material = try TLSTestMaterial.shared()
        try await TestServer.with(tls: Self.server(material)) { _, port in
            let connection = try await RawTestConnection.connect(port: port)
            try await connection.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await connection.waitForClose())
            try await expectServingOverTLS(port: port, material: material)
        }
    }

    func expectServingOverTLS(port: Int, material: TLSTestMaterial) async throws {
        let client = try Self.client(.pinnedCA(pem: material.caPEM))
        defer { client.shutdown() }
        let response = try await client.execute(HTTPClientRequest(method: .get, url: HTTPURL("https://localhost:\(port)/hello")))
        #expect(response.body == Array("hello".utf8))
    }
}
