/// Looks at block devices for LUKS headers without opening any keyslot: the magic at offset 0,
/// then (for LUKS2) the UUID and tokens as libcryptsetup parses them. Device paths are guest
/// paths (`/dev/vda2`); implementations map them under the same root as the `FileSystem` in use.
public protocol LUKSDeviceProbe: Sendable {
    /// The LUKS version from the first 8 bytes (`"LUKS\u{BA}\u{BE}"` + big-endian version), or
    /// nil when the device does not start with the LUKS magic (or is shorter than 8 bytes).
    func luksVersion(device: String) throws(LUKSVolumeError) -> Int?
    /// The UUID and every active token's JSON of a LUKS2 device (`crypt_load`, `crypt_token_json_get`).
    func luks2Tokens(device: String) throws(LUKSVolumeError) -> LUKS2TokenListing
}

/// A LUKS2 header's identity and tokens.
public struct LUKS2TokenListing: Sendable, Hashable {
    public let uuid: String
    /// Token id → JSON text, for the active token slots.
    public let tokens: [Int: String]

    public init(uuid: String, tokens: [Int: String]) {
        self.uuid = uuid
        self.tokens = tokens
    }

    /// The LUKS2 on-disk magic (`LUKS2_MAGIC_1ST`) at offset 0 of the primary header.
    public static let magic: [UInt8] = [0x4C, 0x55, 0x4B, 0x53, 0xBA, 0xBE]

    /// The version in an 8-byte header prefix, or nil without the magic.
    public static func version(prefix: some Collection<UInt8>) -> Int? {
        let bytes = Array(prefix.prefix(8))
        guard bytes.count == 8, Array(bytes[0..<6]) == magic else { return nil }
        return Int(bytes[6]) << 8 | Int(bytes[7])
    }
}
