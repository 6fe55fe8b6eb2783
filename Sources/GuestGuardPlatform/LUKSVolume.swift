/// An opened LUKS2 volume whose metadata comes from a header copy the guest holds (tmpfs), so the
/// host cannot swap the header between the check and the use. Implemented over libcryptsetup by
/// `GuestGuardLinux.CryptsetupVolumes`; tests use real images through the same implementation.
public protocol LUKSVolume: AnyObject {
    /// The LUKS UUID from the binary header (`crypt_get_uuid`).
    var uuid: String? { get }
    /// The metadata JSON as libcryptsetup parsed it from the copy (`crypt_dump_json`).
    func metadataJSON() throws(LUKSVolumeError) -> String
    /// A token's JSON, or nil for a free token slot (`crypt_token_json_get`).
    func tokenJSON(_ token: Int) throws(LUKSVolumeError) -> String?
    /// Opens `keyslot` (nil: any) with `key` and activates `name` (nil: only check that the key opens it).
    func activate(name: String?, key: SecretBytes, keyslot: Int?) throws(LUKSVolumeError)
}

/// A LUKS2 volume opened on the device itself (not a copy), for changing its header: enrolment
/// and format. Never used to unlock: unlocking goes through a validated copy.
public protocol LUKSEditableVolume: LUKSVolume {
    /// The keyslot `key` opens (only `keyslot` when given), or nil when it opens none. Nothing
    /// is activated (`crypt_activate_by_passphrase` with a NULL name).
    func keyslotOpened(by key: SecretBytes, keyslot: Int?) throws(LUKSVolumeError) -> Int?
    /// Adds a keyslot for `key`, authorised by `existingKey` (any passphrase that opens a keyslot).
    /// Returns the new slot; fails with `EPERM` when `existingKey` opens nothing
    /// (`crypt_keyslot_add_by_passphrase`).
    func addKeyslot(_ kind: LUKSKeyslotKind, key: SecretBytes, authorizedBy existingKey: SecretBytes) throws(LUKSVolumeError) -> Int
    /// Destroys a keyslot (`crypt_keyslot_destroy`).
    func destroyKeyslot(_ slot: Int) throws(LUKSVolumeError)
    /// Stores `json` in token slot `token` (nil: the first free one), or removes the token when
    /// `json` is nil. Returns the token id (`crypt_token_json_set`).
    @discardableResult
    func setTokenJSON(_ json: String?, token: Int?) throws(LUKSVolumeError) -> Int
}

/// How a new keyslot's key is stretched, which follows from where the key comes from.
public enum LUKSKeyslotKind: Sendable, Hashable {
    /// A high-entropy machine key (the broker's): PBKDF2-SHA256, 1000 iterations, no benchmark,
    /// as systemd-cryptenroll and clevis do for such keys.
    case machineKey
    /// A passphrase a person may have chosen (the recovery key): argon2id with fixed costs that
    /// stay inside the header policy's caps (no benchmark, so the result does not depend on the
    /// machine that formats).
    case recoveryPassphrase
}

/// What `LUKSVolumeOpener.format` writes.
public struct LUKSFormatSettings: Sendable, Hashable {
    /// `crypt_format` cipher and mode, e.g. "aes" + "xts-plain64".
    public var cipher: String
    public var mode: String
    /// Volume key size in bytes (64: AES-256-XTS).
    public var volumeKeyBytes: Int
    /// Preferred encryption sector size; implementations fall back to 512 when the device refuses it.
    public var sectorSize: UInt32
    public var label: String?

    public init(cipher: String = "aes", mode: String = "xts-plain64", volumeKeyBytes: Int = 64, sectorSize: UInt32 = 4096, label: String? = nil) {
        self.cipher = cipher
        self.mode = mode
        self.volumeKeyBytes = volumeKeyBytes
        self.sectorSize = sectorSize
        self.label = label
    }

    /// aes-xts-plain64, 512-bit volume key, 4096-byte sectors.
    public static let standard = LUKSFormatSettings()
}

/// A keyslot to create while formatting.
public struct LUKSNewKeyslot: Sendable {
    public let kind: LUKSKeyslotKind
    public let key: SecretBytes

    public init(kind: LUKSKeyslotKind, key: SecretBytes) {
        self.kind = kind
        self.key = key
    }
}

/// Opens volumes from validated header copies, and devices themselves for changes.
public protocol LUKSVolumeOpener: Sendable {
    /// Copies `device`'s LUKS2 header and keyslots into `copyPath` and opens the copy with the
    /// data on `device`.
    func openHeaderCopy(device: String, copyPath: String) throws(LUKSVolumeError) -> any LUKSVolume
    /// Opens `device`'s own LUKS2 header for changes (`crypt_init` + `crypt_load`).
    func openForEditing(device: String) throws(LUKSVolumeError) -> any LUKSEditableVolume
    /// Writes a fresh LUKS2 header with a random volume key and adds `keyslots` in order;
    /// returns the volume and the slot of each (`crypt_format`, `crypt_keyslot_add_by_volume_key`).
    func format(device: String, settings: LUKSFormatSettings, keyslots: [LUKSNewKeyslot]) throws(LUKSVolumeError)
        -> (volume: any LUKSEditableVolume, keyslots: [Int])
}

/// A libcryptsetup failure, named by operation and errno.
public struct LUKSVolumeError: Error, Sendable, Hashable, CustomStringConvertible {
    public let operation: String
    public let device: String
    public let errno: Int32
    public let message: String?

    public init(operation: String, device: String, errno: Int32, message: String?) {
        self.operation = operation
        self.device = device
        self.errno = errno
        self.message = message
    }

    public var description: String {
        var text = "\(operation) on \(device): \(ErrnoName.name(errno))"
        if errno == ErrnoName.EPERM && operation.hasPrefix("crypt_activate") { text += " (the key does not open the keyslot)" }
        if errno == ErrnoName.EPERM && operation == "crypt_keyslot_add_by_passphrase" { text += " (the existing passphrase opens no keyslot)" }
        if let message { text += " — libcryptsetup: \(message)" }
        return text
    }
}
