#if canImport(Glibc)
import Glibc
#endif
import GuestGuardCore
import GuestGuardLinux
import GuestGuardPlatform
import GuestGuardTestSupport
import KeyBrokerClient
import KeyBrokerJWE
import KeyBrokerServer
import KeyBrokerTestSupport
import Logging
import SNPSimulator
import Synchronization
import Testing

/// Delivers client requests to a broker service in the same process.
struct LocalTransport: KBSTransport {
    let service: KeyBrokerService
    func send(_ request: KBSHTTPRequest, to broker: String) throws(KeyBrokerClientError) -> KBSHTTPResponse {
        let response = service.handleBlocking(BrokerRequest(method: request.method, path: request.path, headers: request.headers, body: request.body))
        return KBSHTTPResponse(status: response.status, headers: response.headers, body: response.body)
    }
}

/// The unlock flow on real LUKS2 images: header copied and validated before any key is asked
/// for; broker key and launch secret; hostile headers refused with nothing requested.
@Suite(.serialized) struct VolumeUnlockTests {
    let tree = TemporaryFileTree(prefix: "guestguard-unlock")
    let logger = Logger(label: "test")

    func image(cipher: String = "aes", mode: String = "xts-plain64", keySize: Int = 64, passphrase: [UInt8], token: GuestGuardToken? = nil) throws -> String {
        let path = tree.root + "/disk-\(UInt32.random(in: 0...UInt32.max)).img"
        let fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0o600)
        ftruncate(fd, 32 << 20)
        close(fd)
        let device = try CryptDevice(path: path, logger: logger)
        try device.setPBKDF(.machineKey)
        try device.formatLUKS2(cipher: cipher, mode: mode, volumeKey: nil, volumeKeySize: keySize)
        let slot = try device.addKeyslot(volumeKey: nil, passphrase: SecretBytes(copying: passphrase))
        if var token {
            token.keyslot = slot
            try device.setTokenJSON(token.jsonText)
        }
        return path
    }

    func unlocker() -> VolumeUnlock {
        // The copy directory is a real path: libcryptsetup writes the header copy there itself.
        VolumeUnlock(volumes: CryptsetupVolumes(logger: logger), headerCheck: StandardLUKS2HeaderCheck(), files: HostFileSystem(),
                     random: GetrandomSource(), copyDirectory: tree.root + "/run/guestguard")
    }

    @Test func brokerKeyOpensTheTokensKeyslotAndTheCopyIsRemoved() async throws {
        let broker = try BrokerHarness(jwe: true)
        let token = GuestGuardToken(keyslot: 0, resource: "default/disk/root")
        let path = try image(passphrase: broker.diskKey, token: token)
        let fetches = Mutex(0)
        let (service, simulator) = (broker.service, broker.simulator)
        let outcome = try await unlocker().unlock(device: path, name: nil, keySource: .broker { token in
            fetches.withLock { $0 += 1 }
            let client = KeyBrokerClient(brokers: ["http://broker.test"], transport: LocalTransport(service: service),
                                         reports: SimulatedReportProvider(processor: simulator), clock: SystemClock(),
                                         random: GetrandomSource(), retry: RetryPolicy.once) { try EphemeralKeyPair() }
            return try client.fetch(resource: token.resource)
        })
        #expect(outcome.keyslot == 0)
        #expect(outcome.token?.resource == "default/disk/root")
        #expect(fetches.withLock { $0 } == 1)
        #expect(try tree.fileSystem.listDirectory("/run/guestguard").isEmpty, "the header copy is wiped")
        #expect(broker.audit.all.filter { $0.decision == .release }.count == 1)
    }

    @Test func launchSecretOpensTheVolume() async throws {
        let path = try image(passphrase: Array("sev launch secret".utf8))
        tree.write("/sys/kernel/security/secrets/coco/\(LaunchSecret.diskPassphraseGUID)", bytes: Array("sev launch secret".utf8) + [0])
        let outcome = try await unlocker().unlock(device: path, name: nil, keySource: .launchSecret(LaunchSecret(files: tree.fileSystem)))
        #expect(outcome.keyslot == nil)
        #expect(!tree.fileSystem.exists("/sys/kernel/security/secrets/coco/\(LaunchSecret.diskPassphraseGUID)"))
    }

    @Test func wrongKeyIsRefusedByTheKeyslot() async throws {
        let path = try image(passphrase: Array("the real one".utf8))
        tree.write("/sys/kernel/security/secrets/coco/\(LaunchSecret.diskPassphraseGUID)", bytes: Array("a wrong one".utf8))
        await #expect { try await unlocker().unlock(device: path, name: nil, keySource: .launchSecret(LaunchSecret(files: tree.fileSystem))) } throws: {
            "\($0)".contains("EPERM")
        }
    }

    /// A real header that libcryptsetup writes without device-mapper: AES-XTS with a 256-bit key
    /// (below the 512-bit rule). The cipher_null, argon2-memory, second-segment and foreign-token
    /// cases are in LUKS2PolicyTests (edited metadata of real images).
    @Test(arguments: [("aes", "xts-plain64", 32)])
    func hostileHeaderIsRefusedBeforeAnyKeyIsRequested(cipher: String, mode: String, keySize: Int) async throws {
        let token = GuestGuardToken(keyslot: 0, resource: "default/disk/root")
        let path = try image(cipher: cipher, mode: mode, keySize: keySize, passphrase: Array("k".utf8), token: token)
        let fetches = Mutex(0)
        await #expect { try await unlocker().unlock(device: path, name: nil, keySource: .broker { _ in
            fetches.withLock { $0 += 1 }
            return SecretBytes(copying: [1])
        }) } throws: { error in
            guard case .headerRefused(_, let violations) = error as? UnlockError else { return false }
            return !violations.isEmpty
        }
        #expect(fetches.withLock { $0 } == 0, "no key is requested for a refused header")
        #expect(try tree.fileSystem.listDirectory("/run/guestguard").isEmpty)
    }

    /// The host writes `config.flags = ["allow-discards"]` with libcryptsetup itself (as
    /// `cryptsetup refresh --persistent --allow-discards` would): refused, nothing requested.
    @Test func persistentAllowDiscardsIsRefusedBeforeAnyKeyIsRequested() async throws {
        let token = GuestGuardToken(keyslot: 0, resource: "default/disk/root")
        let path = try image(passphrase: Array("k".utf8), token: token)
        let host = try CryptDevice(path: path, logger: logger)
        try host.loadLUKS2()
        try host.setPersistentActivationFlags(CryptDevice.allowDiscards)
        #expect(try host.metadataJSON().contains(#""allow-discards""#), "the header now carries the persistent flag")
        let fetches = Mutex(0)
        await #expect { try await unlocker().unlock(device: path, name: "root", keySource: .broker { _ in
            fetches.withLock { $0 += 1 }
            return SecretBytes(copying: Array("k".utf8))
        }) } throws: { error in
            guard case .headerRefused(_, let violations) = error as? UnlockError else { return false }
            return violations == [#"config.flags: persistent activation flags "allow-discards" are not allowed (the host wrote them; only the guest's configuration decides activation flags)"#]
        }
        #expect(fetches.withLock { $0 } == 0, "no key is requested for a header with persistent flags")
    }

    @Test func aVolumeWithoutOurTokenCannotUseTheBroker() async throws {
        let path = try image(passphrase: Array("k".utf8))
        await #expect { try await unlocker().unlock(device: path, name: nil, keySource: .broker { _ in SecretBytes(copying: [1]) }) } throws: {
            "\($0)".contains("no guestguard token")
        }
    }
}
