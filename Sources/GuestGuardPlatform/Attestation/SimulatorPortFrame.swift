/// The framed protocol between a guest and the simulated secure processor that runs on the host
/// (`guestguard simulator serve`), carried over a virtio-serial port (guest:
/// `/dev/virtio-ports/org.guestguard.snp-sim`) or, in host tests, a unix stream socket.
/// TEST ONLY: it stands in for the SNP guest-request channel (MSG_REPORT_REQ / MSG_REPORT_RSP,
/// AMD #56860 §7.3) where there is no AMD secure processor. docs/simulator-port.md describes it.
///
/// Every frame is a 12-byte header and a payload; integers are little-endian, as in the SNP ABI:
///
/// | offset | size | field |
/// |---|---|---|
/// | 0x0 | 4 | magic `GGSP` |
/// | 0x4 | 2 | version (1) |
/// | 0x6 | 2 | kind: 1 report request, 2 report response, 3 error |
/// | 0x8 | 4 | payload length; each kind has its own bounds, checked before the payload is read |
///
/// Payloads: a request is exactly 68 bytes (REPORT_DATA 64, VMPL u32); a response is the 0x4A0-byte
/// ATTESTATION_REPORT followed by the GHCB certificate table (0…``maximumCertificateTableBytes``);
/// an error is a ``SimulatorPortFrame/ErrorCode`` u32 and a UTF-8 message of at most 512 bytes.
public enum SimulatorPortFrame {
    public static let magic: [UInt8] = Array("GGSP".utf8)
    public static let version: UInt16 = 1
    public static let headerByteCount = 12
    public static let requestPayloadByteCount = 68
    public static let maximumCertificateTableBytes = 32 << 10
    public static let maximumMessageBytes = 512

    public enum Kind: UInt16, Sendable, Hashable {
        case reportRequest = 1
        case reportResponse = 2
        case error = 3

        /// The payload lengths this kind may declare.
        var payloadBounds: ClosedRange<Int> {
            switch self {
            case .reportRequest: SimulatorPortFrame.requestPayloadByteCount...SimulatorPortFrame.requestPayloadByteCount
            case .reportResponse: RawAttestation.reportByteCount...(RawAttestation.reportByteCount + SimulatorPortFrame.maximumCertificateTableBytes)
            case .error: 4...(4 + SimulatorPortFrame.maximumMessageBytes)
            }
        }
    }

    /// Why the simulator refused a request (the error frame's code).
    public enum ErrorCode: UInt32, Sendable, Hashable, CustomStringConvertible {
        /// The request frame was malformed (the connection is closed after this answer).
        case malformedFrame = 1
        /// REPORT_DATA or VMPL refused, as the firmware would (INVALID_PARAM).
        case invalidRequest = 2
        /// The simulator could not sign a report.
        case simulatorFailure = 3

        public var description: String {
            switch self {
            case .malformedFrame: "malformed frame"
            case .invalidRequest: "invalid request"
            case .simulatorFailure: "simulator failure"
            }
        }
    }

    /// A validated header: the payload that follows has `payloadLength` bytes.
    public struct Header: Sendable, Hashable {
        public let kind: Kind
        public let payloadLength: Int

        /// Parses and bounds-checks the first 12 bytes of a frame.
        public init(parsing bytes: ArraySlice<UInt8>) throws(SimulatorPortError) {
            guard bytes.count == SimulatorPortFrame.headerByteCount else { throw .shortFrame(expected: SimulatorPortFrame.headerByteCount, received: bytes.count) }
            let start = bytes.startIndex
            guard Array(bytes[start..<start + 4]) == SimulatorPortFrame.magic else { throw .badMagic(Array(bytes[start..<start + 4])) }
            let version = SimulatorPortFrame.u16(bytes, start + 4)
            guard version == SimulatorPortFrame.version else { throw .unsupportedVersion(version) }
            let rawKind = SimulatorPortFrame.u16(bytes, start + 6)
            guard let kind = Kind(rawValue: rawKind) else { throw .unknownKind(rawKind) }
            let length = Int(SimulatorPortFrame.u32(bytes, start + 8))
            guard kind.payloadBounds.contains(length) else { throw .badLength(kind: kind, declared: length, allowed: kind.payloadBounds) }
            self.kind = kind
            self.payloadLength = length
        }
    }

    /// A frame of `kind` around `payload`.
    public static func encode(_ kind: Kind, payload: [UInt8]) -> [UInt8] {
        magic + le(version) + le(kind.rawValue) + le(UInt32(payload.count)) + payload
    }

    public static func request(reportData: [UInt8], vmpl: UInt32) -> [UInt8] { encode(.reportRequest, payload: reportData + le(vmpl)) }

    public static func response(report: [UInt8], certificates: [UInt8]) -> [UInt8] { encode(.reportResponse, payload: report + certificates) }

    public static func error(_ code: ErrorCode, _ message: String) -> [UInt8] {
        encode(.error, payload: le(code.rawValue) + Array(message.utf8.prefix(maximumMessageBytes)))
    }

    /// REPORT_DATA and VMPL of a request payload (whose length the header checked).
    public static func decodeRequest(_ payload: [UInt8]) throws(SimulatorPortError) -> (reportData: [UInt8], vmpl: UInt32) {
        guard payload.count == requestPayloadByteCount else { throw .shortFrame(expected: requestPayloadByteCount, received: payload.count) }
        return (Array(payload[0..<64]), u32(payload[...], 64))
    }

    /// The answer to a request: report and certificate table, or the simulator's typed refusal.
    public static func decodeAnswer(_ header: Header, _ payload: [UInt8]) throws(SimulatorPortError) -> (report: [UInt8], certificates: [UInt8]) {
        guard payload.count == header.payloadLength else { throw .shortFrame(expected: header.payloadLength, received: payload.count) }
        switch header.kind {
        case .reportResponse:
            return (Array(payload[0..<RawAttestation.reportByteCount]), Array(payload[RawAttestation.reportByteCount...]))
        case .error:
            let raw = u32(payload[...], 0)
            let message = String(decoding: payload[4...], as: UTF8.self)
            throw .refused(code: ErrorCode(rawValue: raw), rawCode: raw, message: message)
        case .reportRequest:
            throw .unexpectedKind(header.kind)
        }
    }

    static func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] { (0..<T.bitWidth / 8).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) } }
    static func u16(_ bytes: ArraySlice<UInt8>, _ at: Int) -> UInt16 { UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8 }
    static func u32(_ bytes: ArraySlice<UInt8>, _ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(bytes[at + $1]) << ($1 * 8) } }
}

/// A signed report and its GHCB certificate table, as the simulator answers a request.
public struct SimulatorPortAnswer: Sendable, Hashable {
    public let report: [UInt8]
    public let certificates: [UInt8]
    public init(report: [UInt8], certificates: [UInt8]) {
        self.report = report
        self.certificates = certificates
    }
}

/// The simulator's refusal of a well-formed request (sent as an error frame).
public struct SimulatorPortRefusal: Error, Sendable, Hashable {
    public let code: SimulatorPortFrame.ErrorCode
    public let message: String
    public init(code: SimulatorPortFrame.ErrorCode, message: String) {
        self.code = code
        self.message = message
    }
}

/// What went wrong on the simulator port; every case names the field and the values.
public enum SimulatorPortError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Fewer bytes than the frame needs (the peer closed the stream, or the read timed out).
    case shortFrame(expected: Int, received: Int)
    case badMagic([UInt8])
    case unsupportedVersion(UInt16)
    case unknownKind(UInt16)
    /// The declared payload length is outside what the kind allows (an oversized frame is refused
    /// before any of its payload is read).
    case badLength(kind: SimulatorPortFrame.Kind, declared: Int, allowed: ClosedRange<Int>)
    /// A frame of a kind that may not come from this peer (a request where an answer belongs).
    case unexpectedKind(SimulatorPortFrame.Kind)
    /// The simulator answered with an error frame.
    case refused(code: SimulatorPortFrame.ErrorCode?, rawCode: UInt32, message: String)
    /// The answer's REPORT_DATA is not the request's: a stale answer to an earlier request.
    case reportDataMismatch
    /// No answer within the time limit.
    case timedOut(seconds: Int)
    /// The port or socket could not be opened, read or written.
    case system(PlatformError)

    public var description: String {
        switch self {
        case .shortFrame(let expected, let received): "simulator port: short frame: \(received) of \(expected) bytes"
        case .badMagic(let bytes): "simulator port: bad magic \(bytes.map { String($0, radix: 16) }) (expected \"GGSP\")"
        case .unsupportedVersion(let version): "simulator port: version \(version) (only \(SimulatorPortFrame.version) is supported)"
        case .unknownKind(let kind): "simulator port: unknown frame kind \(kind)"
        case .badLength(let kind, let declared, let allowed):
            "simulator port: \(kind) frame declares \(declared) payload bytes, allowed \(allowed.lowerBound)…\(allowed.upperBound)"
        case .unexpectedKind(let kind): "simulator port: unexpected \(kind) frame"
        case .refused(let code, let rawCode, let message):
            "simulator port: the simulator refused (\(code.map(\.description) ?? "code \(rawCode)")): \(message)"
        case .reportDataMismatch: "simulator port: the answer's REPORT_DATA is not the request's (a stale answer)"
        case .timedOut(let seconds): "simulator port: no answer within \(seconds) s"
        case .system(let error): "simulator port: \(error)"
        }
    }
}
