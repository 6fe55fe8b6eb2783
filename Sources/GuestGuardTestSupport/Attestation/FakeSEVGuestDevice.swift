import GuestGuardPlatform
import SNPABI
import Synchronization

/// `/dev/sev-guest` as the `sev-guest` driver behaves (`snp_guest_ioctl()`, `get_ext_report()`,
/// `snp_send_guest_request()`), in memory, with scripted faults (go-sev-guest `testing/mocks.go`).
///
/// Kernel behaviour kept:
/// - `msg_version` 0: EINVAL before anything else, `exitinfo2` not written back;
/// - the driver presets `exitinfo2` to 0xff and writes it back only when non-zero;
/// - `certs_len` not page-aligned or above 0x4000: EINVAL;
/// - `certs_len` smaller than the host's certificates: EIO, `exitinfo2` = `1 << 32`
///   (VMM INVALID_LEN), and the needed size written back into `certs_len`;
/// - a firmware error or failed hypervisor call wipes the VMPCK: every later request fails with
///   ENOTTY ("VMPCK is disabled");
/// - the certificate buffer comes back zero-filled beyond the host's table;
/// - STATUS in the MSG_REPORT_RSP header is not checked by the driver (the ioctl succeeds).
public final class FakeSEVGuestDevice: SEVGuestDeviceInterface {
    public typealias Handle = Int

    public enum Fault: Sendable, Hashable {
        /// The next `times` requests fail with `errno` (EBUSY, EAGAIN) and `exitinfo2` VMM BUSY.
        case busy(times: Int, errno: Int32)
        /// The next request fails with EIO and this firmware status in `exitinfo2`; the VMPCK is wiped.
        case firmwareError(SEVFirmwareStatus)
        /// Requests succeed with this STATUS in the MSG_REPORT_RSP header.
        case responseStatus(SEVFirmwareStatus)
        /// Requests succeed with this REPORT_SIZE in the MSG_REPORT_RSP header.
        case responseReportSize(UInt32)
        /// The VMPCK is already wiped: ENOTTY.
        case vmpckDisabled
        /// `SNP_GET_EXT_REPORT` is an unknown ioctl (ENOTTY); `SNP_GET_REPORT` works.
        case extendedReportUnsupported
        /// The ioctl returns this positive GHCB `es_result`; the VMPCK is wiped.
        case hypervisorCallFailed(Int32)
    }

    /// One ioctl as the fake saw it.
    public struct Call: Sendable, Hashable {
        public let command: SNPGuestCommand
        public let messageVersion: UInt8
        public let certificatesLength: UInt32
        public let outcome: SNPGuestIoctlOutcome

        public init(command: SNPGuestCommand, messageVersion: UInt8, certificatesLength: UInt32, outcome: SNPGuestIoctlOutcome) {
            self.command = command
            self.messageVersion = messageVersion
            self.certificatesLength = certificatesLength
            self.outcome = outcome
        }
    }

    struct State {
        var faults: [Fault]
        var vmpckWiped = false
        var nextHandle = 3
        var open: Set<Int> = []
        var calls: [Call] = []
    }

    public let path = "/dev/sev-guest (fake)"
    /// False: no SNP guest driver (`open` fails with ENOENT).
    public let isPresent: Bool
    /// The host's certificate table (empty: the host supplies none).
    public let certificates: [UInt8]
    let makeReport: @Sendable ([UInt8], UInt32) -> [UInt8]
    let state: Mutex<State>

    public init(
        certificates: [UInt8] = [], isPresent: Bool = true, faults: [Fault] = [],
        makeReport: @escaping @Sendable ([UInt8], UInt32) -> [UInt8]
    ) {
        self.certificates = certificates
        self.isPresent = isPresent
        self.makeReport = makeReport
        state = Mutex(State(faults: faults))
    }

    /// Every ioctl so far.
    public var calls: [Call] { state.withLock { $0.calls } }
    /// Handles opened and not yet closed.
    public var openHandles: Int { state.withLock { $0.open.count } }
    /// The certificate buffer size the host needs: the table rounded up to whole pages.
    public var requiredCertificatesLength: UInt32 { UInt32((certificates.count + 4095) / 4096 * 4096) }

    public func openDevice() throws(PlatformError) -> Int {
        guard isPresent else { throw PlatformError(operation: "open", target: path, errno: ErrnoName.ENOENT) }
        return state.withLock { state in
            state.nextHandle += 1
            state.open.insert(state.nextHandle)
            return state.nextHandle
        }
    }

    public func closeDevice(_ handle: Int) {
        _ = state.withLock { $0.open.remove(handle) }
    }

    public func perform(_ command: SNPGuestCommand, on handle: Int, request: inout SNPGuestRequest) -> SNPGuestIoctlOutcome {
        state.withLock { state in
            let lengthIn = request.certificatesLength
            let outcome = respond(&state, command, handle, &request)
            state.calls.append(Call(command: command, messageVersion: request.messageVersion, certificatesLength: lengthIn, outcome: outcome))
            return outcome
        }
    }

    func respond(_ state: inout State, _ command: SNPGuestCommand, _ handle: Int, _ request: inout SNPGuestRequest) -> SNPGuestIoctlOutcome {
        guard state.open.contains(handle) else { return .failed(errno: ErrnoName.EBADF) }
        guard request.messageVersion != 0 else { return .failed(errno: ErrnoName.EINVAL) }
        var exitInfo = GuestRequestExitInfo.notSent
        defer { if exitInfo.rawValue != 0 { request.exitInfo = exitInfo } }

        let extended = command == .getExtendedReport
        if extended, state.faults.contains(.extendedReportUnsupported) { return .failed(errno: ErrnoName.ENOTTY) }
        let length = request.certificatesLength
        if extended, length != 0, length > 0x4000 || length % 4096 != 0 { return .failed(errno: ErrnoName.EINVAL) }
        if state.vmpckWiped || state.faults.contains(.vmpckDisabled) { return .failed(errno: ErrnoName.ENOTTY) }

        var status = SEVFirmwareStatus.success
        var reportSize = UInt32(RawAttestation.reportByteCount)
        for (index, fault) in state.faults.enumerated() {
            switch fault {
            case .hypervisorCallFailed(let result):
                state.vmpckWiped = true
                return .hypervisorCallFailed(result: result)
            case .busy(let times, let code) where times > 0:
                state.faults[index] = .busy(times: times - 1, errno: code)
                exitInfo = .vmm(GuestRequestExitInfo.vmmBusy)
                return .failed(errno: code)
            case .firmwareError(let firmwareStatus):
                state.faults.remove(at: index)
                state.vmpckWiped = true
                exitInfo = .firmware(firmwareStatus)
                return .failed(errno: ErrnoName.EIO)
            case .responseStatus(let value): status = value
            case .responseReportSize(let value): reportSize = value
            case .busy, .vmpckDisabled, .extendedReportUnsupported: break
            }
        }
        if extended, !certificates.isEmpty, length < requiredCertificatesLength {
            request.certificatesLength = requiredCertificatesLength
            exitInfo = .vmm(GuestRequestExitInfo.vmmInvalidLength)
            return .failed(errno: ErrnoName.EIO)
        }

        exitInfo = .none
        // MSG_REPORT_RSP: STATUS, REPORT_SIZE, 24 reserved bytes, then the report (zero on failure).
        var response = ByteWriter(count: SNPGuestRequest.responseByteCount)
        response.put(status.rawValue, at: 0)
        response.put(reportSize, at: 4)
        if status == .success { response.put(makeReport(request.reportData, request.vmpl), at: 0x20) }
        request.response = response.bytes
        if extended, length > 0 {
            request.certificates = certificates + [UInt8](repeating: 0, count: Int(length) - certificates.count)
        }
        return .completed
    }
}
