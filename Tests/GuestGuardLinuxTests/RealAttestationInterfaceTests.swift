import CGuestGuardLinux
import GuestGuardLinux
import GuestGuardPlatform
import GuestGuardTestSupport
import Testing

/// The real interfaces on this machine: no SNP guest here, so both fail as "not available";
/// the file and ioctl code runs against a temporary tree and /dev/null.
@Suite struct RealAttestationInterfaceTests {
    static let noConfigFSTSM = !AttestationFixtures.exists(ConfigFSReportDirectory.defaultLocation)
    static let noSEVGuest = !AttestationFixtures.exists(DevSEVGuestDevice.defaultPath)
    let data = AttestationFixtures.reportData(3)

    @Test(.enabled(if: noConfigFSTSM, "configfs-tsm exists here"))
    func configFSTSMIsNotAvailable() async {
        let provider = ConfigFSTSMReportProvider(interface: ConfigFSReportDirectory(), clock: SystemClock(), random: GetrandomSource())
        let error = await #expect(throws: AttestationFetchError.self) { try await provider.attestationReport(reportData: data, vmpl: 0) }
        guard case .unavailable(.configFSTSM, let failure) = error else {
            Issue.record("expected unavailable, got \(String(describing: error))")
            return
        }
        #expect(failure.operation == "mkdir")
        #expect(failure.errno == ErrnoName.ENOENT)
        #expect(failure.target?.hasPrefix("/sys/kernel/config/tsm/report/guestguard-") == true)
        #expect(error?.description.hasPrefix("configfs-tsm is not available: mkdir /sys/kernel/config/tsm/report/guestguard-") == true)
        #expect(error?.description.hasSuffix(": ENOENT") == true)
    }

    @Test(.enabled(if: noSEVGuest, "/dev/sev-guest exists here"))
    func theSEVGuestDeviceIsNotAvailable() async {
        let provider = SEVGuestDeviceReportProvider(device: DevSEVGuestDevice(), clock: SystemClock())
        let missing = PlatformError(operation: "open", target: "/dev/sev-guest", errno: ErrnoName.ENOENT)
        let error = await #expect(throws: AttestationFetchError.unavailable(.sevGuestDevice, missing)) {
            try await provider.attestationReport(reportData: data, vmpl: 0)
        }
        #expect(error?.description == "sev-guest is not available: open /dev/sev-guest: ENOENT")
    }

    @Test(.enabled(if: noConfigFSTSM && noSEVGuest, "an SNP interface exists here"))
    func theStandardChainReportsBothInterfacesMissing() async {
        let error = await #expect(throws: AttestationFetchError.self) {
            try await FallbackReportProvider.standard().attestationReport(reportData: data, vmpl: 0)
        }
        guard case .allProvidersFailed(let failures) = error else {
            Issue.record("expected allProvidersFailed, got \(String(describing: error))")
            return
        }
        #expect(failures.map(\.provider) == ["configfs-tsm", "sev-guest"])
        for failure in failures {
            guard case .unavailable(_, let cause) = failure.error else {
                Issue.record("expected unavailable, got \(failure.error)")
                continue
            }
            #expect(cause.errno == ErrnoName.ENOENT)
        }
    }

    /// The ioctl marshalling runs for real: /dev/null answers every ioctl with ENOTTY and
    /// writes nothing back.
    @Test(arguments: [SNPGuestCommand.getReport, .getExtendedReport])
    func theIoctlPathReachesTheKernel(command: SNPGuestCommand) throws {
        let device = DevSEVGuestDevice(path: "/dev/null")
        let handle = try device.openDevice()
        defer { device.closeDevice(handle) }
        var request = SNPGuestRequest(reportData: data, vmpl: 0, certificatesLength: 0x4000)
        #expect(device.perform(command, on: handle, request: &request) == .failed(errno: ErrnoName.ENOTTY))
        #expect(request.exitInfo == .none)
        #expect(request.certificatesLength == 0x4000)
        #expect(request.response.isEmpty)
        #expect(request.certificates.isEmpty)
    }

    @Test func aDeviceThatAnswersENOTTYToBothRequestsIsReportedAsVMPCKDisabled() async {
        let provider = SEVGuestDeviceReportProvider(device: DevSEVGuestDevice(path: "/dev/null"), clock: SystemClock())
        await #expect(throws: AttestationFetchError.vmpckDisabled(.sevGuestDevice)) {
            try await provider.attestationReport(reportData: data, vmpl: 0)
        }
    }

    @Test func theRequestStructuresAreTheKernelsLayout() {
        #expect(MemoryLayout<snp_guest_request_ioctl>.offset(of: \.msg_version) == 0)
        #expect(MemoryLayout<snp_guest_request_ioctl>.offset(of: \.req_data) == 8)
        #expect(MemoryLayout<snp_guest_request_ioctl>.offset(of: \.resp_data) == 16)
        #expect(MemoryLayout<snp_guest_request_ioctl>.size == guestguard_sizeof_snp_guest_request_ioctl)
        #expect(MemoryLayout<snp_report_req>.offset(of: \.vmpl) == 64)
        #expect(MemoryLayout<snp_report_req>.size == guestguard_sizeof_snp_report_req)
        #expect(MemoryLayout<snp_ext_report_req>.offset(of: \.certs_address) == 96)
        #expect(MemoryLayout<snp_ext_report_req>.offset(of: \.certs_len) == 104)
        #expect(MemoryLayout<snp_ext_report_req>.size == guestguard_sizeof_snp_ext_report_req)
        #expect(MemoryLayout<snp_report_resp>.size == SNPGuestRequest.responseByteCount)
        #expect(GUESTGUARD_SEV_FW_BLOB_MAX_SIZE == 0x4000)
    }

    @Test func theConfigFSDirectoryUsesPlainFileSyscalls() throws {
        let tree = TemporaryFileTree()
        tree.makeDirectory("/report")
        let directory = ConfigFSReportDirectory(location: tree.root + "/report/")
        #expect(directory.location == tree.root + "/report")

        try directory.makeEntry("entry")
        #expect(throws: PlatformError(operation: "mkdir", target: directory.location + "/entry", errno: ErrnoName.EEXIST)) {
            try directory.makeEntry("entry")
        }
        // configfs creates attributes with the entry; a plain directory has none.
        #expect(throws: PlatformError(operation: "open", target: directory.location + "/entry/inblob", errno: ErrnoName.ENOENT)) {
            try directory.write(entry: "entry", attribute: "inblob", bytes: data)
        }
        tree.write("/report/entry/inblob", bytes: [])
        try directory.write(entry: "entry", attribute: "inblob", bytes: data)
        #expect(try directory.read(entry: "entry", attribute: "inblob", limit: 64) == data)
        #expect(throws: PlatformError(operation: "read", target: directory.location + "/entry/inblob", errno: ErrnoName.EFBIG,
                                      detail: "longer than 63 bytes")) {
            try directory.read(entry: "entry", attribute: "inblob", limit: 63)
        }
        #expect(throws: PlatformError(operation: "rmdir", target: directory.location + "/entry", errno: ErrnoName.ENOTEMPTY)) {
            try directory.removeEntry("entry")
        }
        tree.remove("/report/entry/inblob")
        try directory.removeEntry("entry")
        #expect(throws: PlatformError(operation: "rmdir", target: directory.location + "/entry", errno: ErrnoName.ENOENT)) {
            try directory.removeEntry("entry")
        }
    }
}
