#if canImport(Glibc)
import Glibc
#endif
import GuestGuardLinux
import GuestGuardPlatform
import GuestGuardTestSupport
import InMemoryLogging
import Logging
import Testing

/// The libcryptsetup wrapper on real LUKS2 images (sparse files; PBKDF2/1000 without benchmark
/// for the digest and keyslots, so each test takes milliseconds — docs/platform-notes.md §1a).
@Suite struct CryptDeviceTests {
    /// The kernel's device-mapper, from /proc/misc (libdevmapper creates /dev/mapper/control on
    /// its own even where the kernel has no dm driver, so the node proves nothing).
    static let hasDeviceMapper: Bool = {
        guard let text = try? HostFileSystem().readText("/proc/misc") else { return false }
        return text.split(separator: "\n").contains { $0.hasSuffix(" device-mapper") }
    }()

    let tree = TemporaryFileTree(prefix: "guestguard-luks")
    let logs = InMemoryLogHandler()
    var logger: Logger {
        var logger = Logger(label: "test") { _ in logs }
        logger.logLevel = .trace
        return logger
    }

    func image(_ name: String = "disk.img", megabytes: Int = 32) -> String {
        let path = tree.root + "/" + name
        let fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0o600)
        precondition(fd >= 0)
        ftruncate(fd, off_t(megabytes << 20))
        close(fd)
        return path
    }

    func secret(_ text: String) -> SecretBytes { SecretBytes(copying: Array(text.utf8)) }

    /// A fresh LUKS2 image with keyslot 0 opened by `passphrase`.
    func formatted(passphrase: String = "correct horse") throws -> (String, CryptDevice) {
        let path = image()
        let device = try CryptDevice(path: path, logger: logger)
        try device.setPBKDF(.machineKey)
        try device.formatLUKS2(volumeKey: nil, volumeKeySize: 64)
        let slot = try device.addKeyslot(volumeKey: nil, passphrase: secret(passphrase))
        #expect(slot == 0)
        return (path, device)
    }

    @Test func formatAndVerifyOnlyActivation() throws {
        let (path, device) = try formatted()
        #expect(device.type == "LUKS2")
        #expect(device.volumeKeySize == 64)
        let reopened = try CryptDevice(path: path, logger: logger)
        try reopened.loadLUKS2()
        #expect(try reopened.activate(name: nil, passphrase: secret("correct horse")) == 0)
        #expect(reopened.uuid == device.uuid)
    }

    @Test func wrongKeyIsEPERMAndNothingSecretIsLogged() throws {
        let (path, _) = try formatted()
        let device = try CryptDevice(path: path, logger: logger)
        try device.loadLUKS2()
        let error = try #require(throws: CryptsetupError.self) { try device.activate(name: nil, passphrase: secret("wrong horse")) }
        #expect(error.errno == ErrnoName.EPERM)
        #expect(error.operation == "crypt_activate_by_passphrase")
        #expect(error.description.contains("no keyslot opens with this key"))
        let logged = logs.entries.map { "\($0.message)" }.joined(separator: "\n")
        #expect(!logged.contains("horse"), "passphrases never reach the log")
        #expect(!error.description.contains("horse"))
    }

    @Test func addKeyslotByExistingPassphrase() throws {
        let (path, device) = try formatted()
        let slot = try device.addKeyslot(existingPassphrase: secret("correct horse"), newPassphrase: secret("machine key"))
        #expect(slot == 1)
        let reopened = try CryptDevice(path: path, logger: logger)
        try reopened.loadLUKS2()
        #expect(try reopened.activate(name: nil, passphrase: secret("machine key")) == 1)
        try reopened.destroyKeyslot(1)
        #expect(throws: CryptsetupError.self) { try reopened.activate(name: nil, passphrase: secret("machine key")) }
    }

    @Test func tokensRoundTrip() throws {
        let (_, device) = try formatted()
        let json = #"{"type":"guestguard","keyslots":["0"],"resource":"default/disk/root"}"#
        let id = try device.setTokenJSON(json)
        let stored = try #require(try device.tokenJSON(id))
        #expect(stored.contains("\"guestguard\""))
        #expect(stored.contains("default/disk/root"))
        try device.setTokenJSON(nil, token: id)
        #expect(try device.tokenJSON(id) == nil)
        #expect(throws: CryptsetupError.self) { try device.setTokenJSON("not json") }
    }

    @Test func metadataJSONDescribesSegmentsAndKeyslots() throws {
        let (_, device) = try formatted()
        let json = try device.metadataJSON()
        #expect(json.contains("\"segments\""))
        #expect(json.contains("aes-xts-plain64"))
        #expect(json.contains("\"pbkdf2\""))
    }

    @Test func detachedHeaderCopyOpensTheData() throws {
        let (path, device) = try formatted()
        let backup = tree.root + "/header.img"
        try device.backupHeader(to: backup)
        let detached = try CryptDevice(headerPath: backup, dataDevice: path, logger: logger)
        try detached.loadLUKS2()
        #expect(try detached.activate(name: nil, passphrase: secret("correct horse")) == 0)
    }

    @Test func corruptHeaderIsRefusedByLoad() throws {
        let (path, _) = try formatted()
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        var garbage = [UInt8](repeating: 0xA5, count: 4096)
        _ = pwrite(fd, &garbage, garbage.count, 0)
        _ = pwrite(fd, &garbage, garbage.count, 0x4000)  // the secondary header too
        close(fd)
        let device = try CryptDevice(path: path, logger: logger)
        let error = try #require(throws: CryptsetupError.self) { try device.loadLUKS2() }
        #expect(error.operation == "crypt_load")
    }

    @Test(.enabled(if: !hasDeviceMapper)) func namedActivationWithoutDeviceMapperFailsCleanly() throws {
        let (_, device) = try formatted()
        let error = try #require(throws: CryptsetupError.self) { try device.activate(name: "guestguard-test", passphrase: secret("correct horse")) }
        #expect(error.errno != 0)
    }

    @Test(.enabled(if: hasDeviceMapper)) func namedActivationWithDeviceMapper() throws {
        let (_, device) = try formatted()
        let name = "guestguard-test-\(getpid())"
        try device.activate(name: name, passphrase: secret("correct horse"))
        #expect(access("/dev/mapper/\(name)", F_OK) == 0)
        try device.deactivate(name: name)
    }
}
