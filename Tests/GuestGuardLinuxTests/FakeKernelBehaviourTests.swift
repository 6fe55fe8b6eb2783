import GuestGuardPlatform
import GuestGuardTestSupport
import Testing

/// The fakes claim to behave like the kernel (tsm.c, sev-guest.c); these pin that behaviour
/// down at the seam, below the providers.
@Suite struct FakeKernelBehaviourTests {
    let data = AttestationFixtures.reportData(2)

    func tsmEntry(floor: UInt32 = 0) throws -> FakeTSMReport {
        let fake = FakeTSMReport(privlevelFloor: floor, makeReport: AttestationFixtures.firmware)
        try fake.makeEntry("e")
        return fake
    }

    func generation(_ fake: FakeTSMReport) throws -> String {
        String(decoding: try fake.read(entry: "e", attribute: "generation", limit: 64), as: UTF8.self)
    }

    @Test func everyWriteAdvancesTheGeneration() throws {
        let fake = try tsmEntry()
        #expect(try generation(fake) == "0\n")
        try fake.write(entry: "e", attribute: "privlevel", bytes: Array("1\n".utf8))
        try fake.write(entry: "e", attribute: "inblob", bytes: data)
        try fake.write(entry: "e", attribute: "inblob", bytes: data)
        #expect(try generation(fake) == "3\n")
        #expect(try fake.read(entry: "e", attribute: "outblob", limit: 4096) == AttestationFixtures.firmware(data, 1))
        #expect(try generation(fake) == "3\n")
    }

    @Test func inblobMustBe64Bytes() throws {
        let fake = try tsmEntry()
        #expect(throws: PlatformError.self) { try fake.read(entry: "e", attribute: "outblob", limit: 4096) }
        #expect(throws: PlatformError(operation: "write", target: "\(fake.location)/e/inblob", errno: ErrnoName.EFBIG)) {
            try fake.write(entry: "e", attribute: "inblob", bytes: [UInt8](repeating: 0, count: 65))
        }
        try fake.write(entry: "e", attribute: "inblob", bytes: [UInt8](repeating: 0, count: 63))
        #expect(throws: PlatformError(operation: "read", target: "\(fake.location)/e/outblob", errno: ErrnoName.EINVAL)) {
            try fake.read(entry: "e", attribute: "outblob", limit: 4096)
        }
    }

    @Test(arguments: ["4", "0", "x", ""])
    func privlevelOutsideFloorToThreeIsEINVAL(text: String) throws {
        let fake = try tsmEntry(floor: 1)
        #expect(throws: PlatformError(operation: "write", target: "\(fake.location)/e/privlevel", errno: ErrnoName.EINVAL)) {
            try fake.write(entry: "e", attribute: "privlevel", bytes: Array(text.utf8))
        }
        #expect(try generation(fake) == "0\n")
    }

    @Test func attributesKeepTheirDirection() throws {
        let fake = try tsmEntry()
        #expect(throws: PlatformError(operation: "open", target: "\(fake.location)/e/provider", errno: ErrnoName.EACCES)) {
            try fake.write(entry: "e", attribute: "provider", bytes: [])
        }
        #expect(throws: PlatformError(operation: "open", target: "\(fake.location)/e/inblob", errno: ErrnoName.EACCES)) {
            try fake.read(entry: "e", attribute: "inblob", limit: 64)
        }
        #expect(String(decoding: try fake.read(entry: "e", attribute: "provider", limit: 64), as: UTF8.self) == "sev_guest\n")
    }

    func openDevice(_ faults: [FakeSEVGuestDevice.Fault] = []) throws -> (FakeSEVGuestDevice, Int) {
        let device = FakeSEVGuestDevice(certificates: AttestationFixtures.certificateTable, faults: faults,
                                        makeReport: AttestationFixtures.firmware)
        return (device, try device.openDevice())
    }

    @Test func messageVersionZeroIsEINVALWithoutTouchingExitInfo2() throws {
        let (device, handle) = try openDevice()
        var request = SNPGuestRequest(reportData: data, vmpl: 0, messageVersion: 0)
        request.exitInfo = GuestRequestExitInfo(rawValue: 0x1234)
        #expect(device.perform(.getReport, on: handle, request: &request) == .failed(errno: ErrnoName.EINVAL))
        #expect(request.exitInfo.rawValue == 0x1234)
    }

    @Test(arguments: [UInt32(100), 0x1001, 0x5000])
    func certificateLengthsTheDriverRefusesAreEINVAL(length: UInt32) throws {
        let (device, handle) = try openDevice()
        var request = SNPGuestRequest(reportData: data, vmpl: 0, certificatesLength: length)
        #expect(device.perform(.getExtendedReport, on: handle, request: &request) == .failed(errno: ErrnoName.EINVAL))
        #expect(request.exitInfo == .notSent)
    }

    @Test func aTooSmallBufferReportsTheNeededLength() throws {
        let (device, handle) = try openDevice()
        for length in [UInt32(0), 0x1000] where device.requiredCertificatesLength > length {
            var request = SNPGuestRequest(reportData: data, vmpl: 0, certificatesLength: length)
            #expect(device.perform(.getExtendedReport, on: handle, request: &request) == .failed(errno: ErrnoName.EIO))
            #expect(request.exitInfo == .vmm(GuestRequestExitInfo.vmmInvalidLength))
            #expect(request.certificatesLength == device.requiredCertificatesLength)
        }
    }

    @Test func theResponseCarriesTheHeaderAndTheCertificateBufferIsZeroPadded() throws {
        let (device, handle) = try openDevice()
        var request = SNPGuestRequest(reportData: data, vmpl: 3, certificatesLength: 0x4000)
        #expect(device.perform(.getExtendedReport, on: handle, request: &request) == .completed)
        #expect(request.response.count == SNPGuestRequest.responseByteCount)
        #expect(Array(request.response[0..<8]) == [0, 0, 0, 0, 0xA0, 0x04, 0, 0])
        #expect(Array(request.response[0x20..<0x20 + 0x4A0]) == AttestationFixtures.firmware(data, 3))
        #expect(request.certificates.count == 0x4000)
        #expect(Array(request.certificates.prefix(AttestationFixtures.certificateTable.count)) == AttestationFixtures.certificateTable)
        #expect(request.certificates.dropFirst(AttestationFixtures.certificateTable.count).allSatisfy { $0 == 0 })
        #expect(request.exitInfo == .none)
    }

    @Test func aClosedHandleIsEBADF() throws {
        let (device, handle) = try openDevice()
        device.closeDevice(handle)
        var request = SNPGuestRequest(reportData: data, vmpl: 0)
        #expect(device.perform(.getReport, on: handle, request: &request) == .failed(errno: ErrnoName.EBADF))
        #expect(device.openHandles == 0)
    }
}
