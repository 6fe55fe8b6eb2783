#if canImport(Glibc)
import Glibc
#endif
import CanonicalJSON
import GuestGuardLinux
import GuestGuardPlatform
import GuestGuardTestSupport
import Logging

/// Builds real LUKS2 images (sparse files, PBKDF2/1000 without benchmark) and reads their
/// metadata back the way guestguard will: header backup to a file, detached load, `crypt_dump_json`.
final class LUKS2Image {
    let tree = TemporaryFileTree(prefix: "guestguard-luks2policy")
    let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
    let path: String
    let device: CryptDevice

    /// Formats a fresh image and adds keyslot 0 opened by "slot0".
    init(cipher: String = "aes", mode: String = "xts-plain64", volumeKeySize: Int = 64) throws {
        path = tree.root + "/disk.img"
        let fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0o600)
        precondition(fd >= 0)
        ftruncate(fd, off_t(32 << 20))
        close(fd)
        device = try CryptDevice(path: path, logger: logger)
        try device.setPBKDF(.machineKey)
        try device.formatLUKS2(cipher: cipher, mode: mode, volumeKey: nil, volumeKeySize: volumeKeySize)
        try device.addKeyslot(volumeKey: nil, passphrase: Self.secret("slot0"))
    }

    static func secret(_ text: String) -> SecretBytes { SecretBytes(copying: Array(text.utf8)) }

    /// Adds a keyslot opened by "another" (authorised by slot 0's passphrase); returns its id.
    @discardableResult
    func addKeyslot() throws -> Int {
        try device.addKeyslot(existingPassphrase: Self.secret("slot0"), newPassphrase: Self.secret("another"))
    }

    /// Stores a token of `type` on `keyslots`; returns its id.
    @discardableResult
    func addToken(type: String = "guestguard", keyslots: [Int]) throws -> Int {
        let slots = keyslots.map { "\"\($0)\"" }.joined(separator: ",")
        return try device.setTokenJSON(#"{"type":"\#(type)","keyslots":[\#(slots)],"resource":"default/disk/root"}"#)
    }

    /// The metadata of a header copy opened detached from the data, parsed.
    func metadata() throws -> JSONValue {
        let header = tree.root + "/header.img"
        unlink(header)
        try device.backupHeader(to: header)
        let copy = try CryptDevice(headerPath: header, dataDevice: path, logger: logger)
        try copy.loadLUKS2()
        return try JSONParser.parse(copy.metadataJSON())
    }
}

extension JSONValue {
    /// A copy with the member at the dotted `path` set to `value` (intermediate objects are created).
    func setting(_ path: String, to value: JSONValue?) -> JSONValue {
        setting(path.split(separator: ".").map(String.init)[...], to: value)
    }

    private func setting(_ keys: ArraySlice<String>, to value: JSONValue?) -> JSONValue {
        guard let key = keys.first else { return value ?? .null }
        var members = objectValue ?? [:]
        if keys.count == 1 {
            members[key] = value
        } else {
            members[key] = (members[key] ?? .object([:])).setting(keys.dropFirst(), to: value)
        }
        return .object(members)
    }

    /// The member at the dotted `path`, if any.
    func at(_ path: String) -> JSONValue? {
        path.split(separator: ".").reduce(Optional(self)) { value, key in value?[String(key)] }
    }
}
