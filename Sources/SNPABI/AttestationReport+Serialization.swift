extension AttestationReport {
    /// Encodes the parsed fields back into the 0x4A0-byte ABI layout.
    ///
    /// Parsing is lossless (every non-field byte is must-be-zero), so for a parsed report this
    /// equals ``bytes`` byte for byte. Use ``signedBytes`` for signature checks, not this.
    public func serializedBytes() -> [UInt8] {
        var out = ByteWriter(count: Self.byteCount)
        out.put(version, at: 0x000)
        out.put(guestSVN, at: 0x004)
        out.put(policy.rawValue, at: 0x008)
        out.put(familyID, at: 0x010)
        out.put(imageID, at: 0x020)
        out.put(vmpl, at: 0x030)
        out.put(signatureAlgorithm, at: 0x034)
        out.put(currentTCB.rawValue, at: 0x038)
        out.put(platformInfo.rawValue, at: 0x040)
        out.put(keyInfo.rawValue, at: 0x048)
        out.put(reportData, at: 0x050)
        out.put(measurement, at: 0x090)
        out.put(hostData, at: 0x0C0)
        out.put(idKeyDigest, at: 0x0E0)
        out.put(authorKeyDigest, at: 0x110)
        out.put(reportID, at: 0x140)
        out.put(reportIDMA, at: 0x160)
        out.put(reportedTCB.rawValue, at: 0x180)
        if let cpuidFamilyID, let cpuidModelID, let cpuidStepping {
            out.put([cpuidFamilyID, cpuidModelID, cpuidStepping], at: 0x188)
        }
        out.put(chipID, at: 0x1A0)
        out.put(committedTCB.rawValue, at: 0x1E0)
        out.put([currentFirmware.build, currentFirmware.minor, currentFirmware.major], at: 0x1E8)
        out.put([committedFirmware.build, committedFirmware.minor, committedFirmware.major], at: 0x1EC)
        out.put(launchTCB.rawValue, at: 0x1F0)
        if let launchMitigationVector { out.put(launchMitigationVector, at: 0x1F8) }
        if let currentMitigationVector { out.put(currentMitigationVector, at: 0x200) }
        out.put(signature.r, at: 0x2A0)
        out.put(signature.s, at: 0x2E8)
        return out.bytes
    }
}
