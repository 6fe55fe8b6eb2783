/// An opened LUKS2 volume whose metadata comes from a header copy the guest holds (tmpfs), so the
/// host cannot swap the header between the check and the use. Implemented over libcryptsetup by
/// `GuestGuardLinux.CryptsetupVolumes`; tests use real images through the same implementation.
public protocol LUKSVolume: AnyObject {
    /// The metadata JSON as libcryptsetup parsed it from the copy (`crypt_dump_json`).
    func metadataJSON() throws(LUKSVolumeError) -> String
    /// A token's JSON, or nil for a free token slot (`crypt_token_json_get`).
    func tokenJSON(_ token: Int) throws(LUKSVolumeError) -> String?
    /// Opens `keyslot` (nil: any) with `key` and activates `name` (nil: only check that the key opens it).
    func activate(name: String?, key: SecretBytes, keyslot: Int?) throws(LUKSVolumeError)
}

/// Opens volumes from validated header copies.
public protocol LUKSVolumeOpener: Sendable {
    /// Copies `device`'s LUKS2 header and keyslots into `copyPath` and opens the copy with the
    /// data on `device`.
    func openHeaderCopy(device: String, copyPath: String) throws(LUKSVolumeError) -> any LUKSVolume
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
        if let message { text += " — libcryptsetup: \(message)" }
        return text
    }
}
