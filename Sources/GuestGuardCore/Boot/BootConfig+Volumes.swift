import GuestGuardConfig

/// The volumes the boot configuration expects: one `[[volume]]` table each, at least one.
///
/// ```toml
/// [[volume]]
/// uuid = "0b9f1c3e-5d2a-4c1b-9e8f-7a6b5c4d3e2f"          # LUKS2 UUID (required)
/// volume-key-digest = "q2Vb…="                          # digests.N.digest (recommended: format/enroll print it)
/// name = "root"                                         # device-mapper name (optional)
/// resource = "default/disk/data"                        # this volume's key (optional: the top-level resource)
/// ```
///
/// Boot opens these and nothing else (`UnlockPlan` with `expected`). A per-volume `name` wins
/// over the top-level `name`, which may only be used with a single volume; names and UUIDs are unique.
/// Several volumes (root and data) are opened in one boot with one attestation: the first key request
/// of an attempt fetches every resource of ``resources`` in one broker session (``AttestedKeys``).
extension BootConfig {
    static let volumeKeys = ["uuid", "name", "volume-key-digest", "resource"]

    /// Parses `root`'s `[[volume]]` tables strictly (`file:line:col key` errors); `name` is the top-level one.
    static func volumes(_ root: TOMLTable, name: String?) throws(ConfigError) -> [ExpectedVolume] {
        let tables = try root.required("volume").tables()
        guard (1...16).contains(tables.count) else { throw try root.required("volume").invalid(expected: "1…16 [[volume]] tables") }
        if name != nil, tables.count > 1, let value = root["name"] {
            throw value.invalid(expected: "no top-level name with several [[volume]] tables (give each volume its name)")
        }
        var volumes: [ExpectedVolume] = []
        for table in tables {
            try table.requireKnownKeys(volumeKeys)
            let uuidValue = try table.required("uuid")
            let uuid = try uuidValue.string()
            guard ExpectedVolume.isUUID(uuid) else { throw uuidValue.invalid(expected: "a LUKS2 UUID (8-4-4-4-12 hex digits)") }
            if volumes.contains(where: { $0.matches(uuid: uuid) }) { throw uuidValue.invalid(expected: "a UUID not named by another [[volume]]") }
            let volumeName = try table["name"].map { value throws(ConfigError) in try Self.parseMappingName(value) }
            if let volumeName, volumes.contains(where: { $0.name == volumeName }), let value = table["name"] {
                throw value.invalid(expected: "a name not used by another [[volume]]")
            }
            let digest = try table["volume-key-digest"].map { value throws(ConfigError) in
                let text = try value.string()
                guard (4...88).contains(text.utf8.count), text.utf8.count % 4 == 0, text.utf8.allSatisfy({ Self.base64Bytes.contains($0) }) else {
                    throw value.invalid(expected: "the base64 digests.N.digest of the header (as format and enroll print it)")
                }
                return text
            }
            let resource = try table["resource"].map { value throws(ConfigError) in try Self.parseResource(value) }
            volumes.append(ExpectedVolume(uuid: uuid, name: volumeName, volumeKeyDigest: digest, resource: resource))
        }
        return volumes
    }

    /// A volume's `name`: the same rule as the top-level `name` (``nameBytes``, 1…64 bytes).
    static func parseMappingName(_ value: ConfigValue) throws(ConfigError) -> String {
        let name = try value.string()
        guard (1...64).contains(name.utf8.count), name.utf8.allSatisfy({ nameBytes.contains($0) }) else {
            throw value.invalid(expected: "a device-mapper name of 1…64 letters, digits, '-', '_'")
        }
        return name
    }

    static let base64Bytes = Set(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=".utf8))

    /// The resource holding `volume`'s key: its `[[volume]]`'s own, else the top-level `resource`.
    public func resource(for volume: DiscoveredVolume) -> String {
        volumes.first { $0.matches(uuid: volume.uuid) }?.resource ?? resource
    }

    /// Every resource the volumes' keys come from, each once, in the order of the `[[volume]]` tables.
    public var resources: [String] {
        var seen: [String] = []
        for volume in volumes where !seen.contains(volume.resource ?? resource) { seen.append(volume.resource ?? resource) }
        return seen.isEmpty ? [resource] : seen
    }

    /// The device-mapper name for `volume`: its own, else the configuration's, else `luks-<UUID>`.
    public func mappingName(for volume: DiscoveredVolume) -> String {
        volumes.first { $0.matches(uuid: volume.uuid) }?.name ?? name ?? volume.defaultName
    }
}
