import CGuestGuardLinux
import GuestGuardPlatform
import SystemPackage

/// `/dev/sev-guest`: the `SEVGuestDeviceInterface` over the real driver. The request structures
/// are the kernel's own (`struct snp_guest_request_ioctl`, `snp_report_req`,
/// `snp_ext_report_req`, `snp_report_resp` from `<linux/sev-guest.h>`, imported through
/// CGuestGuardLinux), and so are the ioctl numbers. The corresponding C function is `ioctl`,
/// wrapped as `guestguard_ioctl`.
public struct DevSEVGuestDevice: SEVGuestDeviceInterface {
    public typealias Handle = Int32

    /// The SNP guest driver's misc device.
    public static let defaultPath = "/dev/sev-guest"

    public let path: String

    public init(path: String = DevSEVGuestDevice.defaultPath) { self.path = path }

    /// Read-write with close-on-exec (swift-system's `FileDescriptor.open`, retried on EINTR); a
    /// missing driver throws `ENOENT`. The corresponding C function is `open` (`O_RDWR | O_CLOEXEC`).
    public func openDevice() throws(PlatformError) -> Int32 {
        try openFile(path, .readWrite).rawValue
    }

    /// The corresponding C function is `close`.
    public func closeDevice(_ handle: Int32) { try? FileDescriptor(rawValue: handle).close() }

    public func perform(_ command: SNPGuestCommand, on handle: Int32, request: inout SNPGuestRequest) -> SNPGuestIoctlOutcome {
        var reportRequest = snp_report_req()
        withUnsafeMutableBytes(of: &reportRequest.user_data) { userData in
            for (index, byte) in request.reportData.prefix(userData.count).enumerated() { userData[index] = byte }
        }
        reportRequest.vmpl = request.vmpl

        var argument = snp_guest_request_ioctl()
        argument.msg_version = request.messageVersion
        argument.exitinfo2 = request.exitInfo.rawValue
        var response = snp_report_resp()

        let result: Int
        switch command {
        case .getReport:
            result = withUnsafeMutablePointer(to: &reportRequest) { requestPointer in
                withUnsafeMutablePointer(to: &response) { responsePointer in
                    argument.req_data = UInt64(UInt(bitPattern: requestPointer))
                    argument.resp_data = UInt64(UInt(bitPattern: responsePointer))
                    return guestguard_ioctl(handle, guestguard_SNP_GET_REPORT, &argument)
                }
            }
        case .getExtendedReport:
            let length = Int(request.certificatesLength)
            // Page-aligned, zeroed: the driver copies certs_len bytes into it on success.
            let certificates = UnsafeMutableRawBufferPointer.allocate(byteCount: max(length, 1), alignment: 4096)
            defer { certificates.deallocate() }
            certificates.initializeMemory(as: UInt8.self, repeating: 0)
            var extended = snp_ext_report_req()
            extended.data = reportRequest
            extended.certs_address = length > 0 ? UInt64(UInt(bitPattern: certificates.baseAddress)) : 0
            extended.certs_len = request.certificatesLength
            result = withUnsafeMutablePointer(to: &extended) { requestPointer in
                withUnsafeMutablePointer(to: &response) { responsePointer in
                    argument.req_data = UInt64(UInt(bitPattern: requestPointer))
                    argument.resp_data = UInt64(UInt(bitPattern: responsePointer))
                    return guestguard_ioctl(handle, guestguard_SNP_GET_EXT_REPORT, &argument)
                }
            }
            request.certificatesLength = extended.certs_len
            if result == 0 && length > 0 { request.certificates = Array(certificates.prefix(length)) }
        }

        request.exitInfo = GuestRequestExitInfo(rawValue: argument.exitinfo2)
        if result == 0 {
            request.response = withUnsafeBytes(of: &response.data) { Array($0) }
            return .completed
        }
        return result < 0 ? .failed(errno: Int32(-result)) : .hypervisorCallFailed(result: Int32(clamping: result))
    }
}
