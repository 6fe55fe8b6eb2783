import GuestGuardPlatform

/// The SEV / SEV-ES launch secret the guest owner injected after checking LAUNCH_MEASURE, as the
/// `efi_secret` driver exposes it: `/sys/kernel/security/secrets/coco/<guid>` (docs/snp-abi.md §5).
///
/// `take` reads the entry into locked memory, strips exactly one trailing NUL (secrets provisioned
/// for GRUB's `cryptomount -s efisecret` are NUL-terminated), and unlinks the entry, which makes
/// the driver wipe the secret area (memzero + clflush). A secret that cannot be unlinked is not
/// returned: it would stay readable for every later root process.
public struct LaunchSecret: Sendable {
    public static let directory = "/sys/kernel/security/secrets/coco"
    /// `GRUB_EFI_DISKPASSWD_GUID`: the well-known entry for a disk passphrase.
    public static let diskPassphraseGUID = "736869e5-84f0-4973-92ec-06879ce3da0b"
    /// Largest secret accepted (efi_secret entries are small; a LUKS key is at most a few hundred bytes).
    public static let maximumBytes = 4096

    public let files: any FileSystem

    public init(files: any FileSystem) { self.files = files }

    public func take(guid: String = LaunchSecret.diskPassphraseGUID) throws(LaunchSecretError) -> SecretBytes {
        guard files.kind("/sys/kernel/security") == .directory else { throw .securityfsMissing }
        guard files.kind(Self.directory) == .directory else { throw .noSecretArea }
        let path = "\(Self.directory)/\(guid.lowercased())"
        guard files.kind(path) == .regular else { throw .noEntry(guid: guid) }
        var bytes: [UInt8]
        do { bytes = try files.readFile(path, limit: Self.maximumBytes + 1) } catch {
            if error.errno == ErrnoName.EFBIG { throw .badSize(guid: guid, bytes: Self.maximumBytes + 1) }
            throw .file(error)
        }
        defer { for index in bytes.indices { bytes[index] = 0 } }
        let length = bytes.last == 0 ? bytes.count - 1 : bytes.count
        guard length > 0 else { throw .badSize(guid: guid, bytes: 0) }
        let secret = SecretBytes(copying: bytes[0..<length])
        do { try files.remove(path) } catch { throw .file(error) }
        return secret
    }
}
