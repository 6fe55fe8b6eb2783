import CanonicalJSON
import GuestGuardPlatform

/// A volume the tenant's configuration names: the only volumes boot (and device-less `unlock`)
/// opens. Everything that identifies a volume on disk is host-writable, so the identity is
/// checked on the header copy that is actually activated, before any key is requested.
///
/// - `uuid` (required): the LUKS2 UUID. It stops a host that attaches another VM's disk enrolled
///   under the same resource as it is — but the UUID sits in the binary header, unauthenticated:
///   a host can rewrite that disk's UUID to this one.
/// - `volumeKeyDigest` (optional, what `format` and `enroll` print): the `digests.N.digest` bound
///   to segment 0, i.e. PBKDF2 of the volume key. libcryptsetup checks the volume key a keyslot
///   yields against this digest before it activates, so another disk (another volume key) cannot
///   carry it: with the digest pinned, the identity is the volume key itself. A re-encryption
///   (new volume key) needs a new pin; re-enrolling or a new recovery keyslot does not.
///
/// Neither tells an older snapshot of the same disk from the current one (same UUID, same volume
/// key): rollback stays open without a monotonic counter (docs/luks.md).
public struct ExpectedVolume: Sendable, Hashable, CustomStringConvertible {
    /// Lower-case, as `format` prints it.
    public let uuid: String
    /// Device-mapper name for this volume (nil: the configuration's `name`, else `luks-<UUID>`).
    public let name: String?
    /// Base64, exactly as in the header's `digests.N.digest`.
    public let volumeKeyDigest: String?
    /// The broker resource (`repo/type/tag`) holding this volume's key; nil: the configuration's `resource`.
    public let resource: String?

    public init(uuid: String, name: String? = nil, volumeKeyDigest: String? = nil, resource: String? = nil) {
        self.uuid = uuid.lowercased()
        self.name = name
        self.volumeKeyDigest = volumeKeyDigest
        self.resource = resource
    }

    public var description: String { "LUKS2 UUID \(uuid)" + (volumeKeyDigest.map { ", volume-key digest \($0)" } ?? "") }

    /// True when `text` is a UUID in the 8-4-4-4-12 hex form.
    public static func isUUID(_ text: String) -> Bool {
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        return groups.map(\.utf8.count) == [8, 4, 4, 4, 12] && groups.allSatisfy { $0.utf8.allSatisfy(Self.isHex) }
    }

    static func isHex(_ byte: UInt8) -> Bool { (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x66) }

    public func matches(uuid other: String) -> Bool { other.lowercased() == uuid }

    /// Why the volume whose header copy has `uuid` and `metadata` is not this one; nil when it is.
    public func mismatch(uuid other: String?, metadata: JSONValue) -> String? {
        guard let other, matches(uuid: other) else { return "LUKS2 UUID \(other ?? "(none)") is not the expected \(uuid)" }
        guard let pinned = volumeKeyDigest else { return nil }
        let digests = Self.segmentDigests(metadata)
        guard !digests.isEmpty else { return "no digest binds segment 0" }
        if let wrong = digests.first(where: { $0 != pinned }) {
            return "volume-key digest \(wrong) is not the expected \(pinned) (another volume key)"
        }
        return nil
    }

    /// The `digest` of every digest that lists segment 0 (the header policy has already checked their shape).
    public static func segmentDigests(_ metadata: JSONValue) -> [String] {
        guard let digests = metadata["digests"]?.objectValue else { return [] }
        return digests.keys.sorted().compactMap { id in
            guard let digest = digests[id], digest["segments"]?.arrayValue?.contains(where: { $0.stringValue == "0" }) == true else { return nil }
            return digest["digest"]?.stringValue ?? "(missing)"
        }
    }

    /// The stanza for an opened volume (its UUID and segment-0 digest).
    public static func stanza(of volume: any LUKSVolume, device: String) throws(UnlockError) -> String {
        let metadata = try volume.parsedMetadata(device: device)
        guard let uuid = volume.uuid else { throw .metadata(device: device, reason: "no LUKS UUID") }
        return stanza(uuid: uuid, metadata: metadata)
    }

    /// The stanza to paste into guestguard.toml for a volume (what `format` and `enroll` print).
    public static func stanza(uuid: String, metadata: JSONValue) -> String {
        var lines = ["[[volume]]", "uuid = \"\(uuid.lowercased())\""]
        if let digest = segmentDigests(metadata).first { lines.append("volume-key-digest = \"\(digest)\"") }
        return lines.joined(separator: "\n")
    }
}
