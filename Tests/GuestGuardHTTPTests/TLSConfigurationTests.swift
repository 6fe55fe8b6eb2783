import Foundation
import GuestGuardCrypto
import GuestGuardHTTP
import Testing

/// Bad TLS material is refused when the server or client is built, with OpenSSL's reason.
@Suite struct TLSConfigurationTests {
    static func serverError(chain: [UInt8], key: [UInt8]) -> HTTPServerError? {
        do {
            _ = try HTTPServer(
                configuration: HTTPServerConfiguration(
                    address: .tcp(host: "127.0.0.1", port: 0), tls: TLSServerConfiguration(certificateChainPEM: chain, privateKeyPEM: key)),
                router: HTTPRouter(), logger: TestServer.logger)
            return nil
        } catch {
            return error
        }
    }

    @Test func garbageCertificateIsRefused() throws {
        let material = try TLSTestMaterial.shared()
        let error = Self.serverError(chain: Array("not a certificate".utf8), key: material.serverKeyPEM)
        guard case .tls(.invalidCertificate(let what, .malformedPEM(let queue))) = error else {
            Issue.record("unexpected \(String(describing: error))")
            return
        }
        #expect(what == "certificate chain")
        #expect(queue.firstReason == "no start line")
    }

    @Test func keyOfAnotherCertificateIsRefused() throws {
        let material = try TLSTestMaterial.shared()
        let otherKey = Array(try Data(contentsOf: URL(fileURLWithPath: material.directory + "/other-ca.key")))
        let error = Self.serverError(chain: material.serverChainPEM, key: otherKey)
        guard case .tls(.invalidConfiguration(let what, let queue)) = error else {
            Issue.record("unexpected \(String(describing: error))")
            return
        }
        #expect(what == "private key (does it match the certificate?)")
        #expect(queue?.entries.contains { $0.reasonText == "key values mismatch" } == true)
    }

    @Test func encryptedKeyIsRefusedWithoutPrompting() async throws {
        let material = try TLSTestMaterial.shared()
        let encrypted = try await ExternalProcess.run(
            "/usr/bin/openssl", ["pkey", "-in", material.serverKeyPath, "-aes256", "-passout", "pass:secret"])
        #expect(encrypted.status == 0)
        let error = Self.serverError(chain: material.serverChainPEM, key: Array(encrypted.standardOutput.utf8))
        guard case .tls(.invalidPrivateKey(.openSSL(let queue))) = error else {
            Issue.record("unexpected \(String(describing: error))")
            return
        }
        #expect(queue.operation == "PEM_read_bio_PrivateKey")
        #expect(!queue.entries.isEmpty)
    }

    @Test func serverConfigurationNeverPrintsTheKey() throws {
        let material = try TLSTestMaterial.shared()
        let configuration = TLSServerConfiguration(certificateChainPEM: material.serverChainPEM, privateKeyPEM: material.serverKeyPEM)
        #expect(!"\(configuration)".contains("PRIVATE KEY"))
        #expect("\(configuration)".contains("<redacted>"))
    }

    @Test func pinnedCAMustHoldACertificate() {
        #expect {
            try HTTPClient(configuration: HTTPClientConfiguration(tls: TLSClientConfiguration(verification: .pinnedCA(pem: []))))
        } throws: { error in
            guard case HTTPClientError.tls(.invalidCertificate(let what, _)) = error else { return false }
            return what == "pinned CA"
        }
        #expect(throws: HTTPClientError.tls(.invalidConfiguration(what: "leaf pins (none given)", openSSL: nil))) {
            try HTTPClient(configuration: HTTPClientConfiguration(tls: TLSClientConfiguration(verification: .pinnedLeaf([]))))
        }
    }

    @Test func pinnedCAFileIsRead() throws {
        let material = try TLSTestMaterial.shared()
        let configuration = try TLSClientConfiguration(pinnedCAFile: material.caPath)
        #expect(configuration.verification == .pinnedCA(pem: material.caPEM))
        #expect(throws: TLSError.self) { try TLSClientConfiguration(pinnedCAFile: material.directory + "/missing.pem") }
    }

    @Test func leafPinsParseHexWithOrWithoutColons() throws {
        let hex = String(repeating: "ab", count: 32)
        let plain = try TLSLeafPin(kind: .certificate, hex: hex)
        let colons = try TLSLeafPin(kind: .certificate, hex: (0..<32).map { _ in "AB" }.joined(separator: ":"))
        #expect(plain == colons)
        #expect(plain.sha256 == [UInt8](repeating: 0xAB, count: 32))
        #expect(throws: TLSError.self) { try TLSLeafPin(kind: .certificate, hex: String(hex.dropLast(2))) }
        #expect(throws: TLSError.self) { try TLSLeafPin(kind: .certificate, hex: String(hex.dropLast()) + "g") }
        #expect(throws: TLSError.self) { try TLSLeafPin(kind: .subjectPublicKeyInfo, hex: hex + "a") }
    }
}
