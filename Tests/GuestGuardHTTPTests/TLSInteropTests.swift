import Foundation
import GuestGuardHTTP
import GuestGuardTestSupport
import Testing

/// Our TLS against peers we did not write: `openssl s_server` and Python's `ssl` as servers for
/// our client, `curl` and Python's `urllib` as clients of our server.
@Suite struct TLSInteropTests {
    /// The port from s_server's `ACCEPT [::]:PORT` line.
    static func acceptedPort(_ output: String) -> Int? {
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("ACCEPT") }),
            let colon = line.lastIndex(of: ":")
        else { return nil }
        return Int(line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
    }

    @Test(arguments: [["-tls1_3"], ["-tls1_2"]])
    func ourClientAgainstOpenSSLServer(version: [String]) async throws {
        let material = try TLSTestMaterial.shared()
        let server = try ChildProcess(
            "/usr/bin/openssl",
            [
                "s_server", "-accept", "0", "-cert", material.serverCertificatePath, "-key", material.serverKeyPath, "-www", "-naccept", "2",
                // Only so that s_server reports the SNI it received.
                "-servername", "localhost", "-cert2", material.serverCertificatePath, "-key2", material.serverKeyPath,
            ] + version)
        defer { server.stop() }
        let port = try await server.waitForOutput(Self.acceptedPort)
        let client = try HTTPClient(configuration: HTTPClientConfiguration(tls: TLSClientConfiguration(verification: .pinnedCA(pem: material.caPEM))))
        let response = try await client.execute(HTTPClientRequest(method: .get, url: HTTPURL("https://localhost:\(port)/")))
        #expect(response.status.code == 200)
        let page = String(decoding: response.body, as: UTF8.self)
        // s_server -www describes the session it negotiated.
        #expect(page.contains(version == ["-tls1_3"] ? "TLSv1.3" : "TLSv1.2"))
        #expect(page.contains("s_server"))

        let pinned = try HTTPClient(
            configuration: HTTPClientConfiguration(
                tls: TLSClientConfiguration(verification: .pinnedLeaf([try TLSLeafPin(kind: .certificate, hex: material.certificateSHA256)]))))
        #expect(try await pinned.execute(HTTPClientRequest(method: .get, url: HTTPURL("https://127.0.0.1:\(port)/"))).status.code == 200)
        // s_server exits after its two connections and only then flushes what it printed: SNI
        // carried the DNS name the first time, and nothing for the IP literal (RFC 6066 §3).
        #expect(await server.waitForExit(timeout: .seconds(60)) == 0, "s_server printed: \(server.output)")
        let printed = try await server.waitForOutput { $0.contains("cache full overflows") ? $0 : nil }
        #expect(printed.components(separatedBy: "Hostname in TLS extension: \"localhost\"").count == 2)
        #expect(printed.components(separatedBy: "Hostname in TLS extension").count == 2)
    }

    @Test(arguments: [["--tlsv1.3"], ["--tlsv1.2", "--tls-max", "1.2"]])
    func curlAgainstOurServer(version: [String]) async throws {
        let material = try TLSTestMaterial.shared()
        try await TestServer.with(tls: TLSServerConfiguration(certificateChainPEM: material.serverChainPEM, privateKeyPEM: material.serverKeyPEM)) { _, port in
            let get = try await ExternalProcess.run(
                "/usr/bin/curl", ["-sS", "--cacert", material.caPath] + version + ["https://localhost:\(port)/hello"])
            #expect(get.status == 0, "\(get.standardError)")
            #expect(get.standardOutput == "hello")
            let post = try await ExternalProcess.run(
                "/usr/bin/curl",
                ["-sS", "--cacert", material.caPath, "--data-binary", "kbs body", "-H", "Content-Type: application/json", "https://127.0.0.1:\(port)/echo"])
            #expect(post.standardOutput == "kbs body")
            // curl trusts only the pinned CA: a different CA file makes it refuse our server.
            let wrongCA = try await ExternalProcess.run(
                "/usr/bin/curl", ["-sS", "--cacert", material.directory + "/other-ca.pem", "https://localhost:\(port)/hello"])
            #expect(wrongCA.status == 60)  // CURLE_PEER_FAILED_VERIFICATION
        }
    }

    @Test func curlCannotGoBelowTheServersMinimumVersion() async throws {
        let material = try TLSTestMaterial.shared()
        let tls = TLSServerConfiguration(certificateChainPEM: material.serverChainPEM, privateKeyPEM: material.serverKeyPEM, minimumVersion: .v1_3)
        try await TestServer.with(tls: tls) { _, port in
            let old = try await ExternalProcess.run(
                "/usr/bin/curl", ["-sS", "--cacert", material.caPath, "--tlsv1.2", "--tls-max", "1.2", "https://localhost:\(port)/hello"])
            #expect(old.status == 35)  // CURLE_SSL_CONNECT_ERROR
            let current = try await ExternalProcess.run("/usr/bin/curl", ["-sS", "--cacert", material.caPath, "https://localhost:\(port)/hello"])
            #expect(current.standardOutput == "hello")
        }
    }

    @Test func pythonSSLClientAgainstOurServer() async throws {
        let material = try TLSTestMaterial.shared()
        let script = """
            import ssl, sys, urllib.request
            context = ssl.create_default_context(cafile=sys.argv[1])
            with urllib.request.urlopen(sys.argv[2], context=context, timeout=10) as response:
                sys.stdout.write(response.read().decode())
            """
        try await TestServer.with(tls: TLSServerConfiguration(certificateChainPEM: material.serverChainPEM, privateKeyPEM: material.serverKeyPEM)) { _, port in
            let result = try await ExternalProcess.run("/usr/bin/env", ["python3", "-c", script, material.caPath, "https://localhost:\(port)/kbs/v0/resource/a/b/c"])
            #expect(result.status == 0, "\(result.standardError)")
            #expect(result.standardOutput == "/kbs/v0/resource/a/b/c")
        }
    }
}
