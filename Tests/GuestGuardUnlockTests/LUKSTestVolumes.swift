#if canImport(Glibc)
import Glibc
#endif
import CanonicalJSON
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

/// Real LUKS2 image files (sparse, fast PBKDF2) in a temporary tree, and a broker key source that
/// runs the real KBS handshake against an in-process broker with the simulated secure processor.
struct LUKSTestVolumes {
    let tree = TemporaryFileTree(prefix: "guestguard-luks")
    let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
    var volumes: CryptsetupVolumes { CryptsetupVolumes(logger: logger) }

    static func secret(_ text: String) -> SecretBytes { SecretBytes(copying: Array(text.utf8)) }

    /// A sparse file of `bytes` at `path` (under the tree).
    @discardableResult
    func blankFile(_ path: String, bytes: Int = 32 << 20) -> String {
        tree.makeDirectory(String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]))
        let full = tree.root + path
        let fd = open(full, O_CREAT | O_WRONLY | O_CLOEXEC, 0o600)
        precondition(fd >= 0, "open \(full)")
        ftruncate(fd, off_t(bytes))
        close(fd)
        return full
    }

    /// A LUKS2 image opened by `passphrase` in keyslot 0, as `cryptsetup luksFormat` would leave
    /// it (aes-xts-plain64, 512-bit key), with fast PBKDF2.
    @discardableResult
    func passphraseImage(_ path: String = "/disk.img", passphrase: String = "correct horse", keySize: Int = 64) throws -> String {
        let full = blankFile(path)
        let device = try CryptDevice(path: full, logger: logger)
        try device.setPBKDF(.machineKey)
        try device.formatLUKS2(volumeKey: nil, volumeKeySize: keySize)
        try device.addKeyslot(volumeKey: nil, passphrase: Self.secret(passphrase))
        return full
    }

    /// The metadata libcryptsetup reads from `path`, parsed.
    func metadata(_ path: String) throws -> JSONValue {
        try JSONParser.parse(try CryptDevice.loaded(path, logger: logger).metadataJSON(), limits: JSONParser.Limits(maxBytes: 8 << 20, maxDepth: 32, maxStringBytes: 1 << 20))
    }

    /// The primary binary header's `seqid` (big-endian u64 at offset 16, `struct luks2_hdr_disk`):
    /// libcryptsetup increments it on every metadata write.
    func sequenceID(_ path: String) -> UInt64 {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 8)
        _ = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 8, 16) }
        return bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Active keyslot ids.
    func keyslots(_ path: String) throws -> [String] {
        (try metadata(path)["keyslots"]?.objectValue?.keys.sorted()) ?? []
    }

    /// Whether `key` opens `keyslot` (any when nil), checked by libcryptsetup directly.
    func opens(_ path: String, _ key: SecretBytes, keyslot: Int? = nil) throws -> Bool {
        let device = try CryptDevice.loaded(path, logger: logger)
        do { try device.activate(name: nil, passphrase: key, keyslot: keyslot) } catch {
            if error.errno == 1 || error.errno == 2 { return false }
            throw error
        }
        return true
    }

    func unlocker() -> VolumeUnlock {
        VolumeUnlock(volumes: volumes, headerCheck: StandardLUKS2HeaderCheck(), files: HostFileSystem(), random: GetrandomSource(),
                     copyDirectory: tree.root + "/run/guestguard")
    }

    static let token = GuestGuardToken(keyslot: 0, resource: "default/disk/root")
}

extension CryptDevice {
    static func loaded(_ path: String, logger: Logger) throws -> CryptDevice {
        let device = try CryptDevice(path: path, logger: logger)
        try device.loadLUKS2()
        return device
    }
}

/// The broker's key for a token, through `KeyBrokerClient` (real KBS handshake and JWE) and the
/// in-process broker of a `BrokerHarness`, with the harness's simulated secure processor.
struct BrokerKeys: Sendable {
    let service: KeyBrokerService
    let simulator: SimulatedSecureProcessor

    init(_ broker: BrokerHarness) {
        service = broker.service
        simulator = broker.simulator
    }

    func key(for token: GuestGuardToken) throws -> SecretBytes {
        let client = KeyBrokerClient(brokers: ["http://broker.test"], transport: LocalTransport(service: service),
                                     reports: SimulatedReportProvider(processor: simulator), clock: SystemClock(),
                                     random: GetrandomSource(), retry: RetryPolicy.once) { try EphemeralKeyPair() }
        return try client.fetch(resource: token.resource)
    }
}

/// Counts calls from `@Sendable` closures.
final class CallCounter: Sendable {
    private let count = Mutex(0)
    func record() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
