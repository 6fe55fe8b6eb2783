@testable import GuestGuardLinux
import GuestGuardPlatform
import GuestGuardTestSupport
import SNPABI
import Testing

/// The value types: `exitinfo2` and firmware status naming, backoff delays, error texts, and the
/// certificate-table extent.
@Suite struct AttestationValueTests {
    @Test(arguments: [
        (UInt64(0x1_0000_0000), "exitinfo2 0x100000000 (VMM INVALID_LEN)"),
        (0x2_0000_0000, "exitinfo2 0x200000000 (VMM BUSY)"),
        (0x8000_0000_0000_0000, "exitinfo2 0x8000000000000000 (VMM GENERIC)"),
        (0xFFFF_FFFF_0000_0000, "exitinfo2 0xffffffff00000000 (VMM GENERIC)"),
        (0x7_0000_0000, "exitinfo2 0x700000000 (VMM VMM error 0x7)"),
        (0x16, "exitinfo2 0x16 (firmware INVALID_PARAM (0x16))"),
        (0x27, "exitinfo2 0x27 (firmware INVALID_KEY (0x27))"),
        (0x11, "exitinfo2 0x11 (firmware status 0x11)"),
        (0x1_0000_0016, "exitinfo2 0x100000016 (VMM INVALID_LEN, firmware INVALID_PARAM (0x16))"),
        (0xff, "exitinfo2 0xff (request did not reach the hypervisor)"),
        (0, "exitinfo2 0x0"),
    ])
    func exitInfo2NamesBothHalves(raw: UInt64, text: String) {
        #expect(GuestRequestExitInfo(rawValue: raw).description == text)
    }

    @Test func exitInfo2SplitsAt32Bits() {
        let info = GuestRequestExitInfo(rawValue: 0x0000_0002_0000_0027)
        #expect(info.vmmError == GuestRequestExitInfo.vmmBusy)
        #expect(info.firmwareStatus == .invalidKey)
        #expect(GuestRequestExitInfo.vmm(1).rawValue == 1 << 32)
        #expect(GuestRequestExitInfo.firmware(.invalidParam).rawValue == 0x16)
    }

    @Test func errorTextsNameTheInterfaceAndTheCause() {
        let cases: [(AttestationFetchError, String)] = [
            (.invalidReportDataLength(63), "REPORT_DATA must be exactly 64 bytes, got 63"),
            (.guestRequestFailed(command: .getExtendedReport, errno: ErrnoName.EIO, exitInfo: .vmm(1)),
             "ioctl(SNP_GET_EXT_REPORT) on /dev/sev-guest failed: EIO, exitinfo2 0x100000000 (VMM INVALID_LEN)"),
            (.vmplRejected(requested: 0, floor: 1),
             "configfs-tsm rejected privlevel 0 (EINVAL): the guest runs at VMPL 1 (privlevel_floor)"),
            (.wrongReportSize(.configFSTSM, actual: 100), "configfs-tsm: report is 100 bytes, expected 1184 (0x4A0)"),
            (.reportStatus(.invalidKey), "sev-guest: MSG_REPORT_RSP STATUS is INVALID_KEY (0x27)"),
            (.retriesExhausted(.sevGuestDevice, attempts: 5, last: .vmpckDisabled(.sevGuestDevice)),
             "sev-guest: gave up after 5 attempts: sev-guest: VMPCK is disabled (ENOTTY): the driver wiped its key after an earlier failed request; reboot the guest"),
            (.concurrentWriter(entry: "guestguard-00", expectedGeneration: 2, observedGeneration: 3),
             "configfs-tsm entry guestguard-00: generation is 3, expected 2: a concurrent writer changed the request"),
        ]
        for (error, text) in cases { #expect(error.description == text) }
    }

    @Test func theCertificateTableExtentCoversEveryEntry() {
        let vcek = AttestationFixtures.vcek
        let table = CertificateTable.serialize([(GUID.vcek, vcek), (GUID.ask, [1, 2, 3])])
        #expect(table.count == 3 * 24 + vcek.count + 3)
        let padded = table + [UInt8](repeating: 0, count: 0x4000 - table.count)
        #expect(GHCBCertificateTable.trimmed(padded) == table)
        #expect(GHCBCertificateTable.trimmed([UInt8](repeating: 0, count: 0x1000)) == nil)
        #expect(GHCBCertificateTable.trimmed([]) == nil)
        // A table that does not parse (an entry pointing past the buffer) is kept whole.
        #expect(GHCBCertificateTable.trimmed(Array(table.prefix(100))) == Array(table.prefix(100)))
    }

    /// The extent is the furthest blob end, not the last entry's: here the first entry's blob
    /// comes last.
    @Test func theExtentIsTheFurthestBlobEnd() {
        var writer = ByteWriter(count: 0x1000)
        writer.put(GUID.vcek.bytes, at: 0)
        writer.put(UInt32(72 + 10), at: 16)
        writer.put(UInt32(20), at: 20)
        writer.put(GUID.ask.bytes, at: 24)
        writer.put(UInt32(72), at: 40)
        writer.put(UInt32(10), at: 44)
        writer.put([UInt8](repeating: 0xAB, count: 30), at: 72)
        #expect(GHCBCertificateTable.trimmed(writer.bytes) == Array(writer.bytes.prefix(72 + 30)))
    }

    @Test func theResponseHeaderIsParsed() throws {
        let report = AttestationFixtures.report
        var response = [0, 0, 0, 0, 0xA0, 0x04, 0, 0] + [UInt8](repeating: 0, count: 24) + report
        response += [UInt8](repeating: 0, count: 4000 - response.count)
        #expect(try SNPReportResponse.report(fromResponse: response) == report)
        #expect(throws: AttestationFetchError.wrongReportSize(.sevGuestDevice, actual: 0)) {
            try SNPReportResponse.report(fromResponse: [0, 0, 0])
        }
        #expect(throws: AttestationFetchError.wrongReportSize(.sevGuestDevice, actual: 100)) {
            try SNPReportResponse.report(fromResponse: Array(response.prefix(0x20 + 100)))
        }
    }
}
