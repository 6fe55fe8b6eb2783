/// One reason a LUKS2 header's metadata is refused. Every case names the JSON path (dotted,
/// e.g. `keyslots.0.kdf.memory`) and the offending value.
public enum LUKS2HeaderViolation: Sendable, Hashable, CustomStringConvertible {
    /// A required member is absent.
    case missing(path: String)
    /// A member has the wrong JSON type or an unparsable value (`found` describes it).
    case wrongShape(path: String, expected: String, found: String)
    /// `segments` must hold exactly one segment.
    case segmentCount(path: String, count: Int)
    /// The segment's `type` is not `crypt`.
    case segmentType(path: String, value: String)
    /// The segment's encryption, integrity and volume-key size are not on the policy's allow-list.
    case encryptionNotAllowed(path: String, encryption: String, integrity: String?, keySizeBytes: Int64)
    /// `cipher_null` (no encryption) appears in a string anywhere in the metadata.
    case nullCipher(path: String, value: String)
    /// A keyslot whose `type` is not `luks2` (e.g. a `reencrypt` slot), or whose area or AF type is unknown.
    case keyslotType(path: String, value: String)
    /// A keyslot area cipher not on the policy's allow-list, or with too short a key (`keySizeBytes`).
    case keyslotCipherNotAllowed(path: String, encryption: String, keySizeBytes: Int64)
    /// No keyslot states the volume-key size.
    case noKeyslots(path: String)
    /// Keyslots disagree about the volume-key size.
    case keySizeDiffers(path: String, value: Int64, expected: Int64)
    /// A KDF type the policy does not accept.
    case kdfNotAllowed(path: String, value: String)
    /// A cost or size above the policy's cap.
    case aboveLimit(path: String, value: Int64, limit: Int64)
    /// A keyslot area that does not lie inside the keyslots area [`start`, `end`).
    case areaOutsideKeyslotsArea(path: String, offset: Int64, size: Int64, start: Int64, end: Int64)
    /// A keyslot area that reaches into the data segment.
    case areaOverlapsData(path: String, areaEnd: Int64, segmentOffset: Int64)
    /// Our token does not exist.
    case tokenMissing(path: String)
    /// Our token's `type` is not `guestguard`.
    case tokenType(path: String, value: String)
    /// Our token must refer to exactly one keyslot.
    case tokenKeyslotCount(path: String, count: Int)
    /// Our token refers to a keyslot that does not exist.
    case tokenKeyslotMissing(path: String, keyslot: String)
    /// Our token's keyslot is not bound to segment 0 by any digest (it cannot unlock the data).
    case keyslotNotBoundToSegment(path: String, keyslot: String)
    /// Another token also refers to our token's keyslot.
    case keyslotClaimedByOtherToken(path: String, keyslot: String)
    /// Persistent activation flags in `config.flags` (host-written; e.g. `allow-discards` passes TRIM to the host).
    case persistentFlags(path: String, flags: [String])

    /// The JSON path the violation is about.
    public var path: String {
        switch self {
        case .missing(let path), .wrongShape(let path, _, _), .segmentCount(let path, _), .segmentType(let path, _),
             .encryptionNotAllowed(let path, _, _, _), .nullCipher(let path, _), .keyslotType(let path, _), .keyslotCipherNotAllowed(let path, _, _), .noKeyslots(let path),
             .keySizeDiffers(let path, _, _), .kdfNotAllowed(let path, _), .aboveLimit(let path, _, _),
             .areaOutsideKeyslotsArea(let path, _, _, _, _), .areaOverlapsData(let path, _, _), .tokenMissing(let path),
             .tokenType(let path, _), .tokenKeyslotCount(let path, _), .tokenKeyslotMissing(let path, _),
             .keyslotNotBoundToSegment(let path, _), .keyslotClaimedByOtherToken(let path, _), .persistentFlags(let path, _):
            return path
        }
    }

    public var description: String {
        switch self {
        case .missing(let path): "\(path): missing"
        case .wrongShape(let path, let expected, let found): "\(path): expected \(expected), found \(found)"
        case .segmentCount(let path, let count): "\(path): \(count) segments, exactly one allowed"
        case .segmentType(let path, let value): "\(path): segment type \"\(value)\", only \"crypt\" allowed"
        case .encryptionNotAllowed(let path, let encryption, let integrity, let keySize):
            "\(path): encryption \"\(encryption)\"" + (integrity.map { " with integrity \"\($0)\"" } ?? " without integrity")
                + " and a \(keySize * 8)-bit volume key is not allowed"
        case .nullCipher(let path, let value): "\(path): \"\(value)\" is no encryption (cipher_null)"
        case .keyslotType(let path, let value): "\(path): type \"\(value)\" not allowed"
        case .keyslotCipherNotAllowed(let path, let encryption, let keySize):
            "\(path): keyslot area cipher \"\(encryption)\" with a \(keySize * 8)-bit key is not allowed"
        case .noKeyslots(let path): "\(path): no keyslot states the volume key size"
        case .keySizeDiffers(let path, let value, let expected): "\(path): key size \(value) bytes, other keyslots say \(expected)"
        case .kdfNotAllowed(let path, let value): "\(path): KDF \"\(value)\" not allowed"
        case .aboveLimit(let path, let value, let limit): "\(path): \(value) exceeds the limit \(limit)"
        case .areaOutsideKeyslotsArea(let path, let offset, let size, let start, let end):
            "\(path): area [\(offset), \(offset) + \(size)) lies outside the keyslots area [\(start), \(end))"
        case .areaOverlapsData(let path, let areaEnd, let segmentOffset):
            "\(path): area ends at \(areaEnd), past the data segment offset \(segmentOffset)"
        case .tokenMissing(let path): "\(path): our token does not exist"
        case .tokenType(let path, let value): "\(path): token type \"\(value)\", expected \"guestguard\""
        case .tokenKeyslotCount(let path, let count): "\(path): our token refers to \(count) keyslots, exactly one allowed"
        case .tokenKeyslotMissing(let path, let keyslot): "\(path): our token's keyslot \(keyslot) does not exist"
        case .keyslotNotBoundToSegment(let path, let keyslot): "\(path): keyslot \(keyslot) is not bound to segment 0 by any digest"
        case .keyslotClaimedByOtherToken(let path, let keyslot): "\(path): another token also refers to our keyslot \(keyslot)"
        case .persistentFlags(let path, let flags):
            "\(path): persistent activation flags \(flags.map { "\"\($0)\"" }.joined(separator: ", ")) are not allowed (the host wrote them; only the guest's configuration decides activation flags)"
        }
    }
}
