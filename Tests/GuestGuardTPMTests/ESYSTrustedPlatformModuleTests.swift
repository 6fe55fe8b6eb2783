import GuestGuardCrypto
import GuestGuardPlatform
import GuestGuardTPM
import GuestGuardTestSupport
import TPMEvidence
import Testing

/// Against a real swtpm started per test on loopback; skipped only when swtpm is not installed.
@Suite(.enabled(if: SoftwareTPM.isInstalled, "swtpm is not installed"))
struct ESYSTrustedPlatformModuleTests {
    @Test func readsTheSHA256BankOfAllTwentyFourPCRs() throws {
        let session = try SwtpmSession()
        let tpm: ESYSTrustedPlatformModule = session.tpm
        defer { withExtendedLifetime(session) {} }
        let values = try tpm.readPCRs(Array(0..<24))
        #expect(values.keys.sorted() == Array(0..<24))
        #expect(values.values.allSatisfy { $0.count == 32 })
        // A fresh TPM: PCRs 0…15 are zero; nothing has extended them.
        #expect(values[15] == [UInt8](repeating: 0, count: 32))
    }

    @Test func extendFollowsTheTPMHashChain() throws {
        let session = try SwtpmSession()
        let tpm: ESYSTrustedPlatformModule = session.tpm
        defer { withExtendedLifetime(session) {} }
        let before = try #require(try tpm.readPCRs([15])[15])
        let event = try HashFunction.sha256.hash(Array("guestguard unlock".utf8))
        try tpm.extendPCR(15, sha256: event)
        let after = try #require(try tpm.readPCRs([15])[15])
        #expect(after == (try HashFunction.sha256.hash(before + event)))
        #expect(try tpm.readPCRs([14])[14] == [UInt8](repeating: 0, count: 32))
    }

    @Test func rejectsBadArgumentsBeforeCallingTheTPM() throws {
        let session = try SwtpmSession()
        let tpm: ESYSTrustedPlatformModule = session.tpm
        defer { withExtendedLifetime(session) {} }
        #expect(throws: TPMError.self) { try tpm.extendPCR(15, sha256: [1, 2, 3]) }
        #expect(throws: TPMError.self) { try tpm.readPCRs([24]) }
        #expect(throws: TPMError.self) { try tpm.quote(pcrs: [0], qualifyingData: [UInt8](repeating: 0, count: 65)) }
    }

    @Test func reportsSwtpmAsTheManufacturer() throws {
        let session = try SwtpmSession()
        let tpm: ESYSTrustedPlatformModule = session.tpm
        defer { withExtendedLifetime(session) {} }
        let properties = try tpm.properties()
        #expect(properties.manufacturer.hasPrefix("IBM"))
        #expect(!properties.vendorString.isEmpty)
    }

    @Test func decodesTSS2ResponseCodesNamingTheOperation() throws {
        // Nothing listens on this port: the TCTI reports an I/O error through Tss2_RC_Decode.
        let error = #expect(throws: TPMError.self) {
            let tpm = try ESYSTrustedPlatformModule(configuration: TCTIConfiguration(parsing: "swtpm:host=127.0.0.1,port=1"))
            _ = try tpm.readPCRs([0])
        }
        #expect(error?.responseCode != 0)
        #expect(error?.description.contains("Tss2_TctiLdr_Initialize") == true || error?.description.contains("Esys_") == true)
    }

    @Test(arguments: ["cmd:/bin/sh", "pcap:device", "", "tabrmd"])
    func refusesTCTIModulesOtherThanDeviceSwtpmAndMssim(_ text: String) {
        #expect(throws: TPMError.self) { try TCTIConfiguration(parsing: text) }
    }

    @Test func defaultsToTheKernelResourceManager() {
        #expect(TCTIConfiguration.defaultDevice.loaderString == "device:/dev/tpmrm0")
    }
}
