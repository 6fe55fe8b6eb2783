import CanonicalJSON
import SNPABI

/// Checks a LUKS2 header's metadata — the JSON `crypt_dump_json` returns for a header copy
/// loaded with `crypt_load` — against a `LUKS2HeaderPolicy`, before any keyslot is opened.
///
/// What is accepted (everything else is a violation naming the JSON path and value):
/// - `segments`: exactly one member, `segments.0`, of type `crypt`, with a decimal-string
///   `offset`; its `encryption`, its `integrity.type` (absent when there is no integrity) and
///   the volume-key size (`keyslots.N.key_size`, bytes; all keyslots agree) form one of
///   `policy.segmentCiphers`: by default `aes-xts-plain64` with a 512-bit key, `aes-gcm-random`
///   with `aead` integrity and a 256-bit key, or `aes-xts-random` with `hmac(sha256)` integrity
///   and a 768-bit key (512 XTS + 256 HMAC).
/// - no string anywhere in the metadata contains `cipher_null`.
/// - `keyslots.N`: `type` `luks2`; `af` of type `luks1` with at most `maxAFStripes` stripes;
///   `area` of type `raw`, encrypted with one of `policy.keyslotAreaEncryptions` (default
///   `aes-xts-plain64`) with a key of at least `minKeyslotAreaKeySizeBytes` (default 32), whose [`offset`, `offset + size`) lies inside the keyslots area and
///   ends at or before `segments.0.offset`; `kdf` of an accepted type within the policy's caps
///   (`pbkdf2.iterations`; argon2 `memory` KiB, `time`, `cpus`).
/// - `digests.N`: `type` `pbkdf2` with `iterations` within the PBKDF2 cap (the digest is
///   computed on every unlock attempt), `keyslots` and `segments` string arrays.
/// - `config.json_size` and `config.keyslots_size`: decimal strings. The LUKS2 on-disk format
///   has two copies of (4096-byte binary header + JSON area of `json_size` bytes), then the
///   keyslots area of `keyslots_size` bytes, so the keyslots area is
///   [2 × (4096 + json_size), 2 × (4096 + json_size) + keyslots_size).
/// - `config.flags` absent or empty: persistent activation flags (`allow-discards`,
///   `no-read-workqueue`, …) are written by whoever writes the header — the host — and
///   libcryptsetup merges them into every activation that does not pass
///   `CRYPT_ACTIVATE_IGNORE_PERSISTENT`; `allow-discards` would pass TRIM (the free-block map) to
///   the host. Only the guest's configuration decides activation flags.
/// - with `ourToken`: `tokens.<ourToken>` exists, has `type` `guestguard` and `keyslots` with
///   exactly one id; that keyslot exists and a digest binds it to segment `0`; no other token's
///   `keyslots` contains it.
public enum LUKS2HeaderValidator {
    /// The binary header that precedes each JSON area (LUKS2 on-disk format, `struct luks2_hdr_disk`: 4096 bytes).
    public static let binaryHeaderSize: Int64 = 4096
    /// The LUKS2 format's cap on the JSON area (4 MiB minus the binary header) and on the keyslots area (128 MiB).
    static let maxJSONSize: Int64 = 4 << 20
    static let maxKeyslotsSize: Int64 = 128 << 20

    /// Every violation of `policy` in `metadata`; empty means the header may be used.
    public static func validate(metadata: JSONValue, ourToken: Int?, policy: LUKS2HeaderPolicy = .default) -> [LUKS2HeaderViolation] {
        var reader = LUKS2FieldReader()
        guard let root = reader.object(metadata, at: "$") else { return reader.violations }
        findNullCiphers(metadata, at: "", into: &reader)

        let keyslotsArea = checkConfig(root["config"], reader: &reader)
        let segment = checkSegments(root["segments"], reader: &reader)
        let keyslots = reader.object(root["keyslots"], at: "keyslots")
        let keySize = checkKeyslots(keyslots ?? [:], keyslotsArea: keyslotsArea, segmentOffset: segment?.offset,
                                    policy: policy, reader: &reader)
        if keyslots != nil, keySize == nil { reader.record(.noKeyslots(path: "keyslots")) }
        if let segment, let encryption = segment.encryption, let keySize {
            let cipher = LUKS2SegmentCipher(encryption: encryption, integrity: segment.integrity, keySizeBytes: keySize)
            if !policy.segmentCiphers.contains(cipher) {
                reader.record(.encryptionNotAllowed(path: "segments.0.encryption", encryption: encryption,
                                                    integrity: segment.integrity, keySizeBytes: keySize))
            }
        }
        let bindings = checkDigests(root["digests"], policy: policy, reader: &reader)
        if let ourToken {
            checkToken(ourToken, tokens: root["tokens"], keyslots: keyslots, bindings: bindings, reader: &reader)
        }
        return reader.violations
    }

    /// Records every string containing `cipher_null`, wherever it is.
    static func findNullCiphers(_ value: JSONValue, at path: String, into reader: inout LUKS2FieldReader) {
        switch value {
        case .string(let text) where text.containsText("cipher_null"):
            reader.record(.nullCipher(path: path.isEmpty ? "$" : path, value: text))
        case .array(let elements):
            for (index, element) in elements.enumerated() { findNullCiphers(element, at: join(path, "\(index)"), into: &reader) }
        case .object(let members):
            for key in LUKS2FieldReader.sortedIDs(members) { findNullCiphers(members[key]!, at: join(path, key), into: &reader) }
        default:
            break
        }
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }

    /// The keyslots area [start, end) from `config`, or nil when `config` is unusable.
    static func checkConfig(_ value: JSONValue?, reader: inout LUKS2FieldReader) -> (start: Int64, end: Int64)? {
        guard let config = reader.object(value, at: "config") else { return nil }
        if let flags = config["flags"] {
            if let names = reader.stringArray(flags, at: "config.flags"), !names.isEmpty {
                reader.record(.persistentFlags(path: "config.flags", flags: names))
            }
        }
        let jsonSize = reader.decimal(config["json_size"], at: "config.json_size")
        let keyslotsSize = reader.decimal(config["keyslots_size"], at: "config.keyslots_size")
        guard var jsonSize, var keyslotsSize else { return nil }
        if jsonSize > maxJSONSize { reader.record(.aboveLimit(path: "config.json_size", value: jsonSize, limit: maxJSONSize)); jsonSize = maxJSONSize }
        if keyslotsSize > maxKeyslotsSize {
            reader.record(.aboveLimit(path: "config.keyslots_size", value: keyslotsSize, limit: maxKeyslotsSize))
            keyslotsSize = maxKeyslotsSize
        }
        let start = 2 * (binaryHeaderSize + jsonSize)
        return (start, start + keyslotsSize)
    }

    /// The single segment's offset, encryption and integrity type (each nil when unusable).
    static func checkSegments(_ value: JSONValue?, reader: inout LUKS2FieldReader) -> (offset: Int64?, encryption: String?, integrity: String?)? {
        guard let segments = reader.object(value, at: "segments") else { return nil }
        if segments.count != 1 { reader.record(.segmentCount(path: "segments", count: segments.count)) }
        guard let segment = reader.object(segments["0"], at: "segments.0") else { return nil }
        if let type = reader.string(segment["type"], at: "segments.0.type"), type != "crypt" {
            reader.record(.segmentType(path: "segments.0.type", value: type))
        }
        let offset = reader.decimal(segment["offset"], at: "segments.0.offset")
        let encryption = reader.string(segment["encryption"], at: "segments.0.encryption")
        var integrity: String?
        if let integrityValue = segment["integrity"] {
            if let members = reader.object(integrityValue, at: "segments.0.integrity") {
                integrity = reader.string(members["type"], at: "segments.0.integrity.type")
                if integrity == nil { return (offset, nil, nil) }
            } else {
                return (offset, nil, nil)
            }
        }
        return (offset, encryption, integrity)
    }
}
