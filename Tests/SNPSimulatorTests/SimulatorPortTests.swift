import Foundation
import GuestGuardLinux
import GuestGuardPlatform
import GuestGuardTestSupport
import SNPABI
import SNPSimulator
import Testing

/// The simulator port (docs/simulator-port.md): the real server and the real guest-side provider
/// over unix stream sockets; hostile frames get typed errors and end the connection, nothing crashes.
@Suite struct SimulatorPortTests {
    static let measurement = (0..<48).map { UInt8(0xC0 ^ $0) }

    /// One simulator for the suite (minting its RSA-4096 chain takes seconds).
    static let made = Result { () throws -> (TemporaryFileTree, SimulatedSecureProcessor) in
        let tree = TemporaryFileTree(prefix: "guestguard-port")
        let simulator = try SimulatedSecureProcessor.initialize(directory: "/sim", settings: SimulatorSettings(), files: tree.fileSystem,
                                                                random: GetrandomSource(), now: 1_795_000_000)
        return (tree, try simulator.measuring(measurement))
    }

    static func processor() throws -> (TemporaryFileTree, SimulatedSecureProcessor) { try made.get() }

    /// A connected pair: (client, server).
    static func pair() throws -> (Int32, Int32) {
        var fds: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0 else { throw PlatformError(operation: "socketpair", errno: errno) }
        return (fds[0], fds[1])
    }

    /// Writes `bytes` from the client, closes its sending side, serves the server end to completion,
    /// and returns how the connection ended and every byte the server wrote back.
    static func exchange(_ bytes: [UInt8], processor: SimulatedSecureProcessor) throws -> (SimulatorPortServer.End, [UInt8]) {
        let (client, server) = try pair()
        defer { close(client); close(server) }
        try SimulatorPortStream(descriptor: client, name: "client").write(bytes)
        shutdown(client, Int32(SHUT_WR))
        let end = SimulatorPortServer { processor.portAnswer(reportData: $0, vmpl: $1) }.serve(SimulatorPortStream(descriptor: server, name: "server"))
        shutdown(server, Int32(SHUT_WR))
        var answer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(client, &chunk, chunk.count)
            guard n > 0 else { break }
            answer += chunk[0..<n]
        }
        return (end, answer)
    }

    /// The frames in `bytes`, decoded as answers.
    static func answers(_ bytes: [UInt8]) -> [Result<SimulatorPortAnswer, SimulatorPortError>] {
        var results: [Result<SimulatorPortAnswer, SimulatorPortError>] = []
        var rest = bytes[...]
        while rest.count >= SimulatorPortFrame.headerByteCount {
            do {
                let header = try SimulatorPortFrame.Header(parsing: rest.prefix(SimulatorPortFrame.headerByteCount))
                let payload = Array(rest.dropFirst(SimulatorPortFrame.headerByteCount).prefix(header.payloadLength))
                rest = rest.dropFirst(SimulatorPortFrame.headerByteCount + header.payloadLength)
                let (report, certificates) = try SimulatorPortFrame.decodeAnswer(header, payload)
                results.append(.success(SimulatorPortAnswer(report: report, certificates: certificates)))
            } catch {
                results.append(.failure(error))
            }
        }
        return results
    }

    @Test func twoRequestsOnOneConnectionAreAnsweredWithSignedReportsOfTheMeasurement() throws {
        let (_, processor) = try Self.processor()
        let first = (0..<64).map { UInt8($0) }, second = [UInt8](repeating: 0xEE, count: 64)
        let (end, bytes) = try Self.exchange(SimulatorPortFrame.request(reportData: first, vmpl: 0) + SimulatorPortFrame.request(reportData: second, vmpl: 2),
                                             processor: processor)
        #expect(end == .closed(answered: 2))
        let answers = Self.answers(bytes)
        #expect(answers.count == 2)
        for (answer, (reportData, vmpl)) in zip(answers, [(first, UInt32(0)), (second, UInt32(2))]) {
            let report = try AttestationReport(bytes: try answer.get().report)
            #expect(report.reportData == reportData)
            #expect(report.vmpl == vmpl)
            #expect(report.measurement == Self.measurement)
            #expect(try CertificateTable(bytes: try answer.get().certificates).certificate(.vcek) == processor.vcek.derBytes)
        }
    }

    @Test func aVMPLAboveThreeIsATypedRefusalAndTheConnectionGoesOn() throws {
        let (_, processor) = try Self.processor()
        let reportData = [UInt8](repeating: 1, count: 64)
        let (end, bytes) = try Self.exchange(SimulatorPortFrame.request(reportData: reportData, vmpl: 4) + SimulatorPortFrame.request(reportData: reportData, vmpl: 1),
                                             processor: processor)
        #expect(end == .closed(answered: 2))
        let answers = Self.answers(bytes)
        guard answers.count == 2, case .failure(.refused(let code, _, let message)) = answers[0] else {
            Issue.record("expected a refusal then a report, got \(answers)")
            return
        }
        #expect(code == .invalidRequest)
        #expect(message.contains("VMPL 4"))
        #expect(try AttestationReport(bytes: try answers[1].get().report).vmpl == 1)
    }

    static func header(magic: [UInt8] = SimulatorPortFrame.magic, version: UInt16 = 1, kind: UInt16 = 1, length: UInt32 = 68) -> [UInt8] {
        magic + [UInt8(version & 0xFF), UInt8(version >> 8), UInt8(kind & 0xFF), UInt8(kind >> 8)] + (0..<4).map { UInt8(truncatingIfNeeded: length >> ($0 * 8)) }
    }

    static let hostile: [(String, [UInt8], SimulatorPortError)] = [
        ("short header", Array(SimulatorPortFrame.magic) + [1], .shortFrame(expected: 12, received: 5)),
        ("wrong magic", header(magic: Array("HTTP".utf8)) + [UInt8](repeating: 0, count: 68), .badMagic(Array("HTTP".utf8))),
        ("version 2", header(version: 2) + [UInt8](repeating: 0, count: 68), .unsupportedVersion(2)),
        ("unknown kind", header(kind: 9) + [UInt8](repeating: 0, count: 68), .unknownKind(9)),
        ("oversized", header(length: 1 << 30), .badLength(kind: .reportRequest, declared: 1 << 30, allowed: 68...68)),
        ("undersized", header(length: 64) + [UInt8](repeating: 0, count: 64), .badLength(kind: .reportRequest, declared: 64, allowed: 68...68)),
        ("truncated payload", header() + [UInt8](repeating: 0, count: 10), .shortFrame(expected: 68, received: 10)),
        ("an answer sent to the simulator", header(kind: 3, length: 8) + [1, 0, 0, 0] + Array("oops".utf8), .unexpectedKind(.error)),
    ]

    @Test(arguments: 0..<hostile.count)
    func hostileFramesEndTheConnectionWithATypedError(index: Int) throws {
        let (name, bytes, expected) = Self.hostile[index]
        let (_, processor) = try Self.processor()
        // A good request first: it is answered; the hostile frame then ends the connection.
        let good = SimulatorPortFrame.request(reportData: [UInt8](repeating: 7, count: 64), vmpl: 0)
        let (end, answer) = try Self.exchange(good + bytes, processor: processor)
        #expect(end == .malformed(expected, answered: 1), "\(name)")
        let answers = Self.answers(answer)
        #expect(answers.count == 2, "\(name)")
        guard answers.count == 2, case .failure(.refused(let code, _, let message)) = answers[1] else {
            Issue.record("\(name): no error frame after the report: \(answers)")
            return
        }
        #expect(code == .malformedFrame, "\(name)")
        #expect(message == expected.description, "\(name)")
    }

    @Test func theGuestRefusesHostileAnswers() throws {
        #expect(throws: SimulatorPortError.badLength(kind: .reportResponse, declared: 2_000_000, allowed: 1184...(1184 + 32768))) {
            _ = try SimulatorPortFrame.Header(parsing: Self.header(kind: 2, length: 2_000_000)[...])
        }
        #expect(throws: SimulatorPortError.badLength(kind: .error, declared: 3, allowed: 4...516)) {
            _ = try SimulatorPortFrame.Header(parsing: Self.header(kind: 3, length: 3)[...])
        }
        let request = try SimulatorPortFrame.Header(parsing: Self.header()[...])
        #expect(throws: SimulatorPortError.unexpectedKind(.reportRequest)) { _ = try SimulatorPortFrame.decodeAnswer(request, [UInt8](repeating: 0, count: 68)) }
        let unknown = try SimulatorPortFrame.Header(parsing: Self.header(kind: 3, length: 5)[...])
        #expect(throws: SimulatorPortError.refused(code: nil, rawCode: 77, message: "x")) { _ = try SimulatorPortFrame.decodeAnswer(unknown, [77, 0, 0, 0] + Array("x".utf8)) }
    }

    /// The guest-side provider against the real server on a listening socket (as QEMU relays it).
    static func withServer<T>(_ handler: @escaping SimulatorPortServer.Handler, _ body: (String) async throws -> T) async throws -> T {
        let tree = TemporaryFileTree(prefix: "guestguard-port-socket")
        let path = tree.root + "/sim.sock"
        let listener = try UnixStreamSocket.listen(path: path)
        defer { close(listener) }
        let thread = Thread {
            guard let connection = try? UnixStreamSocket.accept(listener, path: path) else { return }
            _ = SimulatorPortServer(handler: handler).serve(SimulatorPortStream(descriptor: connection, name: path))
            close(connection)
        }
        thread.start()
        return try await body(path)
    }

    @Test func theProviderGetsAReportFromTheHostsSimulator() async throws {
        let (_, processor) = try Self.processor()
        let reportData = (0..<64).map { UInt8(3 * $0) }
        let raw = try await Self.withServer({ processor.portAnswer(reportData: $0, vmpl: $1) }) { path in
            try await SimulatorPortReportProvider(path: path).attestationReport(reportData: reportData, vmpl: 0)
        }
        #expect(raw.provider == "simulator")
        let report = try AttestationReport(bytes: raw.report)
        #expect(report.reportData == reportData)
        #expect(report.measurement == Self.measurement)
        #expect(raw.certificates != nil)
    }

    @Test func theProviderRefusesAnAnswerForAnotherRequest() async throws {
        let (_, processor) = try Self.processor()
        let stale = [UInt8](repeating: 0x55, count: 64)
        await #expect {
            _ = try await Self.withServer({ _, vmpl in processor.portAnswer(reportData: stale, vmpl: vmpl) }) { path in
                try await SimulatorPortReportProvider(path: path).attestationReport(reportData: [UInt8](repeating: 1, count: 64), vmpl: 0)
            }
        } throws: { error in
            "\(error)".contains(SimulatorPortError.reportDataMismatch.description)
        }
    }

    @Test func theProviderWithoutAPortSaysSo() async throws {
        await #expect(throws: AttestationFetchError.self) {
            _ = try await SimulatorPortReportProvider(path: "/nonexistent/virtio-ports/x").attestationReport(reportData: [UInt8](repeating: 0, count: 64), vmpl: 0)
        }
    }
}
