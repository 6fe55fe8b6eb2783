import CanonicalJSON

extension LUKS2HeaderValidator {
    /// Checks every keyslot; returns the volume-key size they agree on (the first keyslot's), or nil when none states one.
    static func checkKeyslots(_ keyslots: [String: JSONValue], keyslotsArea: (start: Int64, end: Int64)?, segmentOffset: Int64?,
                              policy: LUKS2HeaderPolicy, reader: inout LUKS2FieldReader) -> Int64?
    {
        var volumeKeySize: Int64?
        for id in LUKS2FieldReader.sortedIDs(keyslots) {
            let path = "keyslots.\(id)"
            guard let keyslot = reader.object(keyslots[id], at: path) else { continue }
            if let type = reader.string(keyslot["type"], at: path + ".type"), type != "luks2" {
                reader.record(.keyslotType(path: path + ".type", value: type))
            }
            if let keySize = reader.integer(keyslot["key_size"], at: path + ".key_size") {
                if let expected = volumeKeySize, keySize != expected {
                    reader.record(.keySizeDiffers(path: path + ".key_size", value: keySize, expected: expected))
                } else {
                    volumeKeySize = keySize
                }
            }
            if let af = reader.object(keyslot["af"], at: path + ".af") {
                if let type = reader.string(af["type"], at: path + ".af.type"), type != "luks1" {
                    reader.record(.keyslotType(path: path + ".af.type", value: type))
                }
                checkCap(af["stripes"], at: path + ".af.stripes", limit: policy.maxAFStripes, reader: &reader)
            }
            checkArea(keyslot["area"], at: path + ".area", keyslotsArea: keyslotsArea, segmentOffset: segmentOffset,
                      policy: policy, reader: &reader)
            checkKDF(keyslot["kdf"], at: path + ".kdf", policy: policy, reader: &reader)
        }
        return volumeKeySize
    }

    static func checkCap(_ value: JSONValue?, at path: String, limit: Int64, reader: inout LUKS2FieldReader) {
        if let number = reader.integer(value, at: path), number > limit {
            reader.record(.aboveLimit(path: path, value: number, limit: limit))
        }
    }

    static func checkArea(_ value: JSONValue?, at path: String, keyslotsArea: (start: Int64, end: Int64)?, segmentOffset: Int64?,
                          policy: LUKS2HeaderPolicy, reader: inout LUKS2FieldReader)
    {
        guard let area = reader.object(value, at: path) else { return }
        if let type = reader.string(area["type"], at: path + ".type"), type != "raw" {
            reader.record(.keyslotType(path: path + ".type", value: type))
        }
        let encryption = reader.string(area["encryption"], at: path + ".encryption")
        let keySize = reader.integer(area["key_size"], at: path + ".key_size")
        if let encryption, let keySize,
           !policy.keyslotAreaEncryptions.contains(encryption) || keySize < policy.minKeyslotAreaKeySizeBytes
        {
            reader.record(.keyslotCipherNotAllowed(path: path + ".encryption", encryption: encryption, keySizeBytes: keySize))
        }
        guard let offset = reader.decimal(area["offset"], at: path + ".offset"),
              let size = reader.decimal(area["size"], at: path + ".size") else { return }
        let (end, overflow) = offset.addingReportingOverflow(size)
        if let keyslotsArea, overflow || offset < keyslotsArea.start || end > keyslotsArea.end {
            reader.record(.areaOutsideKeyslotsArea(path: path, offset: offset, size: size, start: keyslotsArea.start, end: keyslotsArea.end))
        }
        if let segmentOffset, overflow || end > segmentOffset {
            reader.record(.areaOverlapsData(path: path, areaEnd: overflow ? Int64.max : end, segmentOffset: segmentOffset))
        }
    }

    static func checkKDF(_ value: JSONValue?, at path: String, policy: LUKS2HeaderPolicy, reader: inout LUKS2FieldReader) {
        guard let kdf = reader.object(value, at: path), let type = reader.string(kdf["type"], at: path + ".type") else { return }
        guard policy.keyslotKDFs.contains(type) else {
            reader.record(.kdfNotAllowed(path: path + ".type", value: type))
            return
        }
        switch type {
        case "pbkdf2":
            _ = reader.string(kdf["hash"], at: path + ".hash")
            checkCap(kdf["iterations"], at: path + ".iterations", limit: policy.maxPBKDF2Iterations, reader: &reader)
        case "argon2i", "argon2id":
            checkCap(kdf["memory"], at: path + ".memory", limit: policy.maxArgon2MemoryKiB, reader: &reader)
            checkCap(kdf["time"], at: path + ".time", limit: policy.maxArgon2Time, reader: &reader)
            checkCap(kdf["cpus"], at: path + ".cpus", limit: policy.maxArgon2CPUs, reader: &reader)
        default:
            // A KDF the policy lists but this validator cannot bound: refuse rather than run it unbounded.
            reader.record(.kdfNotAllowed(path: path + ".type", value: type))
        }
    }

    /// Checks every digest; returns, per keyslot id, the segment ids a digest binds it to.
    static func checkDigests(_ value: JSONValue?, policy: LUKS2HeaderPolicy, reader: inout LUKS2FieldReader) -> [String: Set<String>] {
        guard let digests = reader.object(value, at: "digests") else { return [:] }
        var bindings: [String: Set<String>] = [:]
        for id in LUKS2FieldReader.sortedIDs(digests) {
            let path = "digests.\(id)"
            guard let digest = reader.object(digests[id], at: path) else { continue }
            if let type = reader.string(digest["type"], at: path + ".type") {
                if type == "pbkdf2" {
                    checkCap(digest["iterations"], at: path + ".iterations", limit: policy.maxPBKDF2Iterations, reader: &reader)
                } else {
                    reader.record(.kdfNotAllowed(path: path + ".type", value: type))
                }
            }
            let keyslots = reader.stringArray(digest["keyslots"], at: path + ".keyslots")
            let segments = reader.stringArray(digest["segments"], at: path + ".segments")
            for keyslot in keyslots ?? [] { bindings[keyslot, default: []].formUnion(segments ?? []) }
        }
        return bindings
    }

    /// Checks that token `ourToken` is a `guestguard` token on exactly one existing, segment-bound
    /// keyslot that no other token refers to.
    static func checkToken(_ ourToken: Int, tokens value: JSONValue?, keyslots: [String: JSONValue]?, bindings: [String: Set<String>],
                           reader: inout LUKS2FieldReader)
    {
        guard let tokens = reader.object(value, at: "tokens") else { return }
        let ourID = String(ourToken)
        let path = "tokens.\(ourID)"
        guard let tokenValue = tokens[ourID] else {
            reader.record(.tokenMissing(path: path))
            return
        }
        guard let token = reader.object(tokenValue, at: path) else { return }
        if let type = reader.string(token["type"], at: path + ".type"), type != "guestguard" {
            reader.record(.tokenType(path: path + ".type", value: type))
        }
        guard let slots = reader.stringArray(token["keyslots"], at: path + ".keyslots") else { return }
        guard slots.count == 1, let slot = slots.first else {
            reader.record(.tokenKeyslotCount(path: path + ".keyslots", count: slots.count))
            return
        }
        if let keyslots, keyslots[slot] == nil {
            reader.record(.tokenKeyslotMissing(path: path + ".keyslots.0", keyslot: slot))
        } else if bindings[slot]?.contains("0") != true {
            reader.record(.keyslotNotBoundToSegment(path: "keyslots.\(slot)", keyslot: slot))
        }
        for id in LUKS2FieldReader.sortedIDs(tokens) where id != ourID {
            let otherPath = "tokens.\(id)"
            guard let other = reader.object(tokens[id], at: otherPath) else { continue }
            // A token without `keyslots` or with a malformed list cannot be told apart from one on our slot.
            if let otherSlots = reader.stringArray(other["keyslots"], at: otherPath + ".keyslots"), otherSlots.contains(slot) {
                reader.record(.keyslotClaimedByOtherToken(path: otherPath + ".keyslots", keyslot: slot))
            }
        }
    }
}
