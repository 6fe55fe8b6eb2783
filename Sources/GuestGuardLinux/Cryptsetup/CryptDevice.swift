import CCryptsetup
import GuestGuardPlatform
import Logging
import Synchronization

/// An owned `struct crypt_device *`, freed in `deinit` (`crypt_free`). One instance per device
/// and thread: libcryptsetup contexts are not thread-safe, so the class is not `Sendable`.
///
/// Every method wraps one libcryptsetup call and names it in its error. libcryptsetup keeps
/// process-global state (crypto backend initialisation, locking), so every call is serialised
/// through one process-wide lock.
public final class CryptDevice {
    private static let libraryLock = Mutex(())

    /// Runs one libcryptsetup call under the process-wide lock.
    static func serialized<R>(_ body: () throws -> R) rethrows -> R {
        try libraryLock.withLock { _ in try body() }
    }

    let handle: OpaquePointer
    /// The device (or header file) this context was opened on.
    public let path: String
    let log: CryptsetupLogBridge

    /// Opens a context on a device or image file. The corresponding C function is `crypt_init`.
    public init(path: String, logger: Logger) throws(CryptsetupError) {
        var raw: OpaquePointer?
        let rc = Self.serialized { crypt_init(&raw, path) }
        guard rc == 0, let raw else { throw CryptsetupError(operation: "crypt_init", device: path, errno: -rc) }
        handle = raw
        self.path = path
        log = CryptsetupLogBridge(logger: logger, device: path)
        crypt_set_log_callback(handle, CryptsetupLogBridge.callback, Unmanaged.passUnretained(log).toOpaque())
    }

    /// Opens a context whose metadata comes from `headerPath` (a detached header, e.g. a validated
    /// copy in tmpfs) and whose data is `dataDevice`. The corresponding C function is `crypt_init_data_device`.
    public init(headerPath: String, dataDevice: String, logger: Logger) throws(CryptsetupError) {
        var raw: OpaquePointer?
        let rc = Self.serialized { crypt_init_data_device(&raw, headerPath, dataDevice) }
        guard rc == 0, let raw else { throw CryptsetupError(operation: "crypt_init_data_device", device: headerPath, errno: -rc) }
        handle = raw
        path = headerPath
        log = CryptsetupLogBridge(logger: logger, device: headerPath)
        crypt_set_log_callback(handle, CryptsetupLogBridge.callback, Unmanaged.passUnretained(log).toOpaque())
    }

    deinit {
        Self.serialized {
            crypt_set_log_callback(handle, nil, nil)
            crypt_free(handle)
        }
    }

    func check(_ rc: Int32, _ operation: String) throws(CryptsetupError) {
        if rc < 0 { throw CryptsetupError(operation: operation, device: path, errno: -rc, message: log.lastError) }
    }

    /// Loads LUKS2 metadata. The corresponding C function is `crypt_load`.
    public func loadLUKS2() throws(CryptsetupError) {
        try check(Self.serialized { crypt_load(handle, CRYPT_LUKS2, nil) }, "crypt_load")
    }

    /// Sets the KDF for the next keyslot (and for the digest when called before `format`).
    /// The corresponding C function is `crypt_set_pbkdf_type`.
    public func setPBKDF(_ parameters: PBKDFParameters) throws(CryptsetupError) {
        let rc = Self.serialized { parameters.kind.rawValue.withCString { type in
            parameters.hash.withCString { hash in
                var pbkdf = crypt_pbkdf_type(
                    type: type, hash: hash, time_ms: 0, iterations: parameters.iterations,
                    max_memory_kb: parameters.maxMemoryKB, parallel_threads: parameters.parallelThreads,
                    flags: parameters.noBenchmark ? guestguard_CRYPT_PBKDF_NO_BENCHMARK : 0)
                return crypt_set_pbkdf_type(handle, &pbkdf)
            }
        } }
        try check(rc, "crypt_set_pbkdf_type")
    }

    /// Writes a new LUKS2 header with the given volume key (or a random one of `volumeKeySize`
    /// bytes). Call `setPBKDF` first to control the digest's KDF. The corresponding C function is `crypt_format`.
    public func formatLUKS2(cipher: String = "aes", mode: String = "xts-plain64", volumeKey: SecretBytes?, volumeKeySize: Int = 64,
                            label: String? = nil, sectorSize: UInt32 = 512) throws(CryptsetupError)
    {
        let rc: Int32 = Self.serialized { (label ?? "").withCString { labelPointer in
            var params = crypt_params_luks2()
            params.sector_size = sectorSize
            if label != nil { params.label = labelPointer }
            if let volumeKey {
                return volumeKey.withUnsafeBytes { key in
                    crypt_format(handle, CRYPT_LUKS2, cipher, mode, nil, key.baseAddress?.assumingMemoryBound(to: CChar.self), key.count, &params)
                }
            }
            return crypt_format(handle, CRYPT_LUKS2, cipher, mode, nil, nil, volumeKeySize, &params)
        } }
        try check(rc, "crypt_format")
    }

    /// Adds a keyslot opened by `passphrase`, authorised by knowing an existing passphrase.
    /// Returns the slot. The corresponding C function is `crypt_keyslot_add_by_passphrase`.
    @discardableResult
    public func addKeyslot(existingPassphrase: SecretBytes, newPassphrase: SecretBytes, slot: Int? = nil) throws(CryptsetupError) -> Int {
        let rc = Self.serialized { existingPassphrase.withUnsafeBytes { old in
            newPassphrase.withUnsafeBytes { new in
                crypt_keyslot_add_by_passphrase(handle, Int32(slot ?? Int(CRYPT_ANY_SLOT)),
                                                old.baseAddress?.assumingMemoryBound(to: CChar.self), old.count,
                                                new.baseAddress?.assumingMemoryBound(to: CChar.self), new.count)
            }
        } }
        try check(rc, "crypt_keyslot_add_by_passphrase")
        return Int(rc)
    }

    /// Adds a keyslot opened by `passphrase` using the volume key held by the context right after
    /// `format` (pass nil) or an explicit one. The corresponding C function is `crypt_keyslot_add_by_volume_key`.
    @discardableResult
    public func addKeyslot(volumeKey: SecretBytes?, passphrase: SecretBytes, slot: Int? = nil) throws(CryptsetupError) -> Int {
        let rc = Self.serialized { passphrase.withUnsafeBytes { pass in
            let add = { (key: UnsafeRawBufferPointer?) in
                crypt_keyslot_add_by_volume_key(self.handle, Int32(slot ?? Int(CRYPT_ANY_SLOT)),
                                                key?.baseAddress?.assumingMemoryBound(to: CChar.self), key?.count ?? 0,
                                                pass.baseAddress?.assumingMemoryBound(to: CChar.self), pass.count)
            }
            if let volumeKey { return volumeKey.withUnsafeBytes { add($0) } }
            return add(nil)
        } }
        try check(rc, "crypt_keyslot_add_by_volume_key")
        return Int(rc)
    }

    /// `CRYPT_ACTIVATE_IGNORE_PERSISTENT`: the activation does not merge the header's persistent
    /// flags (LUKS2 `config.flags`, which whoever wrote the header chose) into `flags`.
    public static let ignorePersistentFlags = guestguard_CRYPT_ACTIVATE_IGNORE_PERSISTENT
    /// `CRYPT_ACTIVATE_ALLOW_DISCARDS`: pass TRIM through the mapping (leaks the free-block map).
    public static let allowDiscards = guestguard_CRYPT_ACTIVATE_ALLOW_DISCARDS

    /// Opens a keyslot with `passphrase` and activates the mapping `name`; with `name == nil` it
    /// only checks that the key opens the slot (no device-mapper needed). Returns the slot that
    /// opened. `flags` are exactly the activation's: the header's persistent flags are ignored
    /// (`CRYPT_ACTIVATE_IGNORE_PERSISTENT` is always added). The corresponding C function is
    /// `crypt_activate_by_passphrase`.
    @discardableResult
    public func activate(name: String?, passphrase: SecretBytes, keyslot: Int? = nil, flags: UInt32 = 0) throws(CryptsetupError) -> Int {
        let flags = flags | Self.ignorePersistentFlags
        let rc = Self.serialized { passphrase.withUnsafeBytes { pass in
            crypt_activate_by_passphrase(handle, name, Int32(keyslot ?? Int(CRYPT_ANY_SLOT)),
                                         pass.baseAddress?.assumingMemoryBound(to: CChar.self), pass.count, flags)
        } }
        try check(rc, "crypt_activate_by_passphrase")
        return Int(rc)
    }

    /// Stores persistent activation flags in the LUKS2 header (`config.flags`), as
    /// `cryptsetup refresh --persistent` does: what a host can write into a disk it controls.
    /// guestguard never calls it outside tests. The corresponding C function is `crypt_persistent_flags_set`.
    public func setPersistentActivationFlags(_ flags: UInt32) throws(CryptsetupError) {
        try check(Self.serialized { crypt_persistent_flags_set(handle, CRYPT_FLAGS_ACTIVATION, flags) }, "crypt_persistent_flags_set")
    }

    /// Rewrites the LUKS UUID in the header (`cryptsetup luksUUID --uuid`): the UUID is not bound
    /// to any key, so a host can give any disk any UUID. guestguard never calls it outside tests.
    /// The corresponding C function is `crypt_set_uuid`.
    public func setUUID(_ uuid: String) throws(CryptsetupError) {
        try check(Self.serialized { crypt_set_uuid(handle, uuid) }, "crypt_set_uuid")
    }

    /// Removes an active mapping. The corresponding C function is `crypt_deactivate`.
    public func deactivate(name: String) throws(CryptsetupError) {
        try check(Self.serialized { crypt_deactivate(handle, name) }, "crypt_deactivate")
    }

    /// Destroys a keyslot. The corresponding C function is `crypt_keyslot_destroy`.
    public func destroyKeyslot(_ slot: Int) throws(CryptsetupError) {
        try check(Self.serialized { crypt_keyslot_destroy(handle, Int32(slot)) }, "crypt_keyslot_destroy")
    }

    /// The LUKS2 metadata as JSON, as libcryptsetup loaded it. The corresponding C function is `crypt_dump_json`.
    public func metadataJSON() throws(CryptsetupError) -> String {
        var json: UnsafePointer<CChar>?
        try check(Self.serialized { crypt_dump_json(handle, &json, 0) }, "crypt_dump_json")
        guard let json else { throw CryptsetupError(operation: "crypt_dump_json", device: path, errno: ErrnoName.ENODATA) }
        return String(cString: json)
    }

    /// A token's JSON, or nil for an inactive slot. The corresponding C function is `crypt_token_json_get`.
    public func tokenJSON(_ token: Int) throws(CryptsetupError) -> String? {
        var json: UnsafePointer<CChar>?
        let rc = Self.serialized { crypt_token_json_get(handle, Int32(token), &json) }
        if rc == -ErrnoName.ENOENT || rc == -ErrnoName.EINVAL { return nil }
        try check(rc, "crypt_token_json_get")
        return json.map { String(cString: $0) }
    }

    /// Stores a token (nil JSON removes it); returns its id. The corresponding C function is `crypt_token_json_set`.
    @discardableResult
    public func setTokenJSON(_ json: String?, token: Int? = nil) throws(CryptsetupError) -> Int {
        let rc = Self.serialized { crypt_token_json_set(handle, Int32(token ?? Int(CRYPT_ANY_TOKEN)), json) }
        try check(rc, "crypt_token_json_set")
        return Int(rc)
    }

    /// Copies the header and keyslot areas to a file. The corresponding C function is `crypt_header_backup`.
    public func backupHeader(to file: String) throws(CryptsetupError) {
        try check(Self.serialized { crypt_header_backup(handle, CRYPT_LUKS2, file) }, "crypt_header_backup")
    }

    /// The binary header + JSON area size and the keyslots area size, in bytes. The corresponding
    /// C function is `crypt_get_metadata_size`.
    public func metadataSize() throws(CryptsetupError) -> (metadata: UInt64, keyslots: UInt64) {
        var metadata: UInt64 = 0, keyslots: UInt64 = 0
        try check(Self.serialized { crypt_get_metadata_size(handle, &metadata, &keyslots) }, "crypt_get_metadata_size")
        return (metadata, keyslots)
    }

    /// Whether a keyslot holds a key (active, bound or not). The corresponding C function is `crypt_keyslot_status`.
    public func keyslotIsActive(_ slot: Int) -> Bool {
        let status = Self.serialized { crypt_keyslot_status(handle, Int32(slot)) }
        return status == CRYPT_SLOT_ACTIVE || status == CRYPT_SLOT_ACTIVE_LAST || status == CRYPT_SLOT_UNBOUND
    }

    /// A keyslot's area on the metadata device, in bytes. The corresponding C function is `crypt_keyslot_area`.
    public func keyslotArea(_ slot: Int) throws(CryptsetupError) -> (offset: UInt64, length: UInt64) {
        var offset: UInt64 = 0, length: UInt64 = 0
        try check(Self.serialized { crypt_keyslot_area(handle, Int32(slot), &offset, &length) }, "crypt_keyslot_area")
        return (offset, length)
    }

    /// Volume key size in bytes. The corresponding C function is `crypt_get_volume_key_size`.
    public var volumeKeySize: Int { Int(crypt_get_volume_key_size(handle)) }

    /// The LUKS UUID. The corresponding C function is `crypt_get_uuid`.
    public var uuid: String? { crypt_get_uuid(handle).map { String(cString: $0) } }

    /// "LUKS2", "LUKS1", … or nil before load. The corresponding C function is `crypt_get_type`.
    public var type: String? { crypt_get_type(handle).map { String(cString: $0) } }
}
