import Foundation
import GuestGuardHTTP
import Testing

/// The posture daemon listens on a unix socket that only its owner (root) may use.
@Suite struct UnixSocketServerTests {
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "gg-http-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func servesOnAnOwnerOnlySocket() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/posture.sock"
        let server = try HTTPServer(
            configuration: HTTPServerConfiguration(address: .unixSocket(path: path), limits: TestServer.testLimits),
            router: TestServer.router(), logger: TestServer.logger)
        #expect(try await server.start() == .unixSocket(path: path))

        var status = stat()
        #expect(lstat(path, &status) == 0)
        #expect(status.st_mode & S_IFMT == S_IFSOCK)
        #expect(status.st_mode & 0o777 == 0o600)
        #expect(status.st_uid == getuid())
        // Nothing but the socket is left in the directory (the staging directory is gone).
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["posture.sock"])

        let connection = try await RawTestConnection.connect(unixPath: path)
        try await connection.send("GET /peer HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(try await connection.readResponse().text == "unix")
        // Limits hold on unix sockets too.
        try await connection.send("GET /hello HTTP/1.1\r\nX-Filler: " + String(repeating: "u", count: 5000) + "\r\n\r\n")
        #expect(try await connection.readResponse().status == 431)

        // curl as an independent client.
        let curl = try await ExternalProcess.run("/usr/bin/curl", ["-sS", "--unix-socket", path, "http://localhost/hello"])
        #expect(curl.status == 0)
        #expect(curl.standardOutput == "hello")

        await server.shutdown()
        #expect(lstat(path, &status) != 0)  // removed on shutdown
    }

    @Test func replacesAStaleSocketButNotAFile() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/posture.sock"
        let first = try HTTPServer(
            configuration: HTTPServerConfiguration(address: .unixSocket(path: path)), router: TestServer.router(),
            logger: TestServer.logger)
        try await first.start()
        // A second server takes over the path (as after a crash that left the socket behind).
        let second = try HTTPServer(
            configuration: HTTPServerConfiguration(address: .unixSocket(path: path)), router: TestServer.router(),
            logger: TestServer.logger)
        try await second.start()
        await first.shutdown()  // must not delete the socket that now belongs to `second`
        let connection = try await RawTestConnection.connect(unixPath: path)
        try await connection.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try await connection.readResponse().text == "hello")
        await second.shutdown()

        let filePath = directory + "/regular"
        #expect(FileManager.default.createFile(atPath: filePath, contents: Data("keep me".utf8)))
        let blocked = try HTTPServer(
            configuration: HTTPServerConfiguration(address: .unixSocket(path: filePath)), router: TestServer.router(),
            logger: TestServer.logger)
        await #expect(throws: HTTPServerError.socketPathOccupied(path: filePath)) { try await blocked.start() }
        #expect(try String(contentsOfFile: filePath, encoding: .utf8) == "keep me")
    }
}
