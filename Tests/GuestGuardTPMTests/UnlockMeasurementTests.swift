import CanonicalJSON
import GuestGuardCore
import GuestGuardCrypto
import GuestGuardPlatform
import GuestGuardTPM
import GuestGuardTestSupport
import Testing

/// The unlock measurement: a JCS document, SHA-256, extended into a real swtpm's PCR 15.
@Suite struct UnlockMeasurementTests {
    static let measurement = UnlockMeasurement(broker: "https://kbs.example", resource: "default/disk/root",
                                               measurement: [UInt8](repeating: 0x5a, count: 48), keyID: "sha256:0011223344556677")

    @Test func theDocumentIsCanonicalJSON() throws {
        let text = String(decoding: Self.measurement.canonicalBytes(), as: UTF8.self)
        #expect(text == #"{"broker":"https://kbs.example","event":"guestguard unlock","key-id":"sha256:0011223344556677","measurement":""#
                + String(repeating: "5a", count: 48) + #"","resource":"default/disk/root"}"#)
        // An independent RFC 8785 implementation gives the same bytes.
        let peer = try PythonPeer.run("import sys, json, rfc8785; sys.stdout.write(rfc8785.dumps(json.loads(sys.stdin.read())).decode())",
                                      input: Self.measurement.canonicalBytes())
        #expect(peer == text)
    }

    @Test(.enabled(if: SoftwareTPM.isInstalled, "swtpm is not installed"))
    func extendsPCR15WithTheDocumentDigestAndRecordsTheEvent() throws {
        let session = try SwtpmSession()
        let tree = TemporaryFileTree(prefix: "guestguard-unlock-measure")
        let done = try Self.measurement.extend(session.tpm, files: tree.fileSystem) { (try? HashFunction.sha256.hash($0)) ?? [] }
        let digest = try HashFunction.sha256.hash(Self.measurement.canonicalBytes())
        #expect(done.pcr == 15)
        #expect(done.digest == digest)
        #expect(done.before == [UInt8](repeating: 0, count: 32))
        #expect(done.after == (try HashFunction.sha256.hash(done.before + digest)))
        #expect(try session.tpm.readPCRs([15])[15] == done.after)
        let log = try tree.fileSystem.readText(TpmPCRItem.eventLogPath)
        #expect(log.hasPrefix("{\"pcr\":15,\"digest\":\""))
        #expect(log.contains("guestguard unlock"))
        // Another PCR when configured.
        let other = try Self.measurement.extend(session.tpm, pcr: 14) { (try? HashFunction.sha256.hash($0)) ?? [] }
        #expect(other.after != other.before)
        #expect(try session.tpm.readPCRs([15])[15] == done.after)
    }
}
