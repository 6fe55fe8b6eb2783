#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import GuestGuardPlatform
import SystemPackage

/// TEST ONLY (`[test-only] simulator-port`): reports from the simulated secure processor running on
/// the host (`guestguard simulator serve`), asked for over a virtio-serial port
/// (`/dev/virtio-ports/org.guestguard.snp-sim`) or, on a host, its unix socket. The simulator's
/// keys stay on the host, where the real secure processor would be. One request per call:
/// stale bytes are drained first, and an answer whose REPORT_DATA (0x050) is not this request's
/// is refused.
public struct SimulatorPortReportProvider: AttestationReportProvider {
    /// The conventional guest path of the port (the QEMU `virtserialport` name).
    public static let guestPortPath = "/dev/virtio-ports/org.guestguard.snp-sim"

    public let path: String
    public let timeoutSeconds: Int

    public init(path: String, timeoutSeconds: Int = 30) {
        self.path = path
        self.timeoutSeconds = timeoutSeconds
    }

    public func attestationReport(reportData: [UInt8], vmpl: UInt32) throws(AttestationFetchError) -> RawAttestation {
        try Self.validate(reportData: reportData, vmpl: vmpl)
        let fd = try open()
        defer { try? FileDescriptor(rawValue: fd).close() }
        let stream = SimulatorPortStream(descriptor: fd, name: path)
        do {
            try stream.drain()
            try stream.write(SimulatorPortFrame.request(reportData: reportData, vmpl: vmpl))
            guard let (header, payload) = try stream.readFrame(timeoutSeconds: timeoutSeconds) else {
                throw SimulatorPortError.shortFrame(expected: SimulatorPortFrame.headerByteCount, received: 0)
            }
            let (report, certificates) = try SimulatorPortFrame.decodeAnswer(header, payload)
            guard Array(report[0x50..<0x90]) == reportData else { throw SimulatorPortError.reportDataMismatch }
            return RawAttestation(report: report, certificates: certificates.isEmpty ? nil : certificates, provider: AttestationInterface.simulator.rawValue)
        } catch let error as SimulatorPortError {
            throw .system(.simulator, PlatformError(operation: "simulated SNP report request", target: path, errno: 0, detail: error.description))
        } catch {
            throw .system(.simulator, PlatformError(operation: "simulated SNP report request", target: path, errno: 0, detail: "\(error)"))
        }
    }

    /// The port (a character device) read-write, or a connection to the socket at `path`.
    func open() throws(AttestationFetchError) -> Int32 {
        let path = Self.resolve(self.path)
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw .unavailable(.simulator, PlatformError(operation: "stat", target: path, errno: errno, detail: "no simulator port (is the virtio-serial port wired?)"))
        }
        if status.st_mode & S_IFMT == S_IFSOCK {
            do { return try UnixStreamSocket.connect(path: path) } catch { throw .unavailable(.simulator, error) }
        }
        do { return try openFile(path, .readWrite, options: .noControllingTerminal).rawValue } catch { throw .unavailable(.simulator, error) }
    }

    /// `/dev/virtio-ports/NAME` is a udev symlink; without udev (a busybox root) the port is the
    /// `/dev/vportNpM` whose `/sys/class/virtio-ports/vportNpM/name` is NAME.
    static func resolve(_ path: String) -> String {
        let prefix = "/dev/virtio-ports/"
        guard path.hasPrefix(prefix), access(path, F_OK) != 0, let directory = opendir("/sys/class/virtio-ports") else { return path }
        defer { closedir(directory) }
        let name = String(path.dropFirst(prefix.count))
        while let entry = readdir(directory) {
            let port = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            guard port.hasPrefix("vport") else { continue }
            let text = (try? HostFileSystem().readText("/sys/class/virtio-ports/\(port)/name", limit: 256)) ?? ""
            if text.split(separator: "\n").first.map(String.init) == name { return "/dev/\(port)" }
        }
        return path
    }
}
