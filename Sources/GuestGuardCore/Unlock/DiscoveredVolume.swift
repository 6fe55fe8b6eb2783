/// A LUKS2 block device that carries a `guestguard` token, as `TokenVolumeDiscovery` found it.
/// The token comes from the device's own header and is only a hint: unlocking copies and
/// validates the header again before any key is requested.
public struct DiscoveredVolume: Sendable, Hashable {
    /// The device node (`/dev/vda2`).
    public let device: String
    /// The LUKS UUID.
    public let uuid: String
    public let tokenID: Int
    public let token: GuestGuardToken

    public init(device: String, uuid: String, tokenID: Int, token: GuestGuardToken) {
        self.device = device
        self.uuid = uuid
        self.tokenID = tokenID
        self.token = token
    }

    /// The device-mapper name systemd-cryptsetup gives a volume without a crypttab entry.
    public var defaultName: String { "luks-\(uuid)" }
}
