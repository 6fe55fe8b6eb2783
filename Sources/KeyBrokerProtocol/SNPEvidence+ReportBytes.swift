/// Conversion between `SNPEvidence.Report` and the raw report, field by field at the offsets of
/// spec §1.8 (mirroring sev's `Decoder`/`Encoder`, SEV7 `snp.rs:357-560`).
extension SNPEvidence.Report {
    typealias Layout = SNPReportLayout

    /// Reads every field of a raw report; rejects wrong sizes, unsupported versions, non-zero
    /// reserved bytes before 0x330 and undeterminable TCB layouts.
    public init(reportBytes bytes: [UInt8]) throws(SNPEvidenceError) {
        guard bytes.count == Layout.byteCount else { throw .wrongSize(actual: bytes.count) }
        let version = bytes.littleEndian(UInt32.self, at: Layout.version)
        guard (2...5).contains(version) else { throw .unsupportedVersion(version) }
        for range in Layout.reservedRanges(version: version) where bytes[range].contains(where: { $0 != 0 }) {
            throw .reservedNonZero(offset: range.lowerBound, count: range.count)
        }
        let hasCPUID = version >= 3
        let hasMitVectors = version >= 5
        let chipID = bytes.bytes(at: Layout.chipID, count: 64)
        let cpuidFamID = hasCPUID ? bytes[Layout.cpuidFamID] : nil
        let cpuidModID = hasCPUID ? bytes[Layout.cpuidModID] : nil
        let layout = try SNPTCBLayout.forReport(version: version, cpuidFamID: cpuidFamID, cpuidModID: cpuidModID, chipID: chipID)

        self.version = version
        guestSVN = bytes.littleEndian(UInt32.self, at: Layout.guestSVN)
        policy = bytes.littleEndian(UInt64.self, at: Layout.policy)
        familyID = bytes.bytes(at: Layout.familyID, count: 16)
        imageID = bytes.bytes(at: Layout.imageID, count: 16)
        vmpl = bytes.littleEndian(UInt32.self, at: Layout.vmpl)
        sigAlgo = bytes.littleEndian(UInt32.self, at: Layout.sigAlgo)
        currentTCB = try SNPEvidence.TCB(report: bytes, at: Layout.currentTCB, layout: layout)
        platformInfo = bytes.littleEndian(UInt64.self, at: Layout.platformInfo)
        keyInfo = bytes.littleEndian(UInt32.self, at: Layout.keyInfo)
        reportData = bytes.bytes(at: Layout.reportData, count: 64)
        measurement = bytes.bytes(at: Layout.measurement, count: 48)
        hostData = bytes.bytes(at: Layout.hostData, count: 32)
        idKeyDigest = bytes.bytes(at: Layout.idKeyDigest, count: 48)
        authorKeyDigest = bytes.bytes(at: Layout.authorKeyDigest, count: 48)
        reportID = bytes.bytes(at: Layout.reportID, count: 32)
        reportIDMA = bytes.bytes(at: Layout.reportIDMA, count: 32)
        reportedTCB = try SNPEvidence.TCB(report: bytes, at: Layout.reportedTCB, layout: layout)
        self.cpuidFamID = cpuidFamID
        self.cpuidModID = cpuidModID
        cpuidStep = hasCPUID ? bytes[Layout.cpuidStep] : nil
        self.chipID = chipID
        committedTCB = try SNPEvidence.TCB(report: bytes, at: Layout.committedTCB, layout: layout)
        current = SNPEvidence.FirmwareVersion(report: bytes, at: Layout.currentVersion)
        committed = SNPEvidence.FirmwareVersion(report: bytes, at: Layout.committedVersion)
        launchTCB = try SNPEvidence.TCB(report: bytes, at: Layout.launchTCB, layout: layout)
        launchMitVector = hasMitVectors ? bytes.littleEndian(UInt64.self, at: Layout.launchMitVector) : nil
        currentMitVector = hasMitVectors ? bytes.littleEndian(UInt64.self, at: Layout.currentMitVector) : nil
        signature = SNPEvidence.Signature(
            r: bytes.bytes(at: Layout.signatureR, count: 72), s: bytes.bytes(at: Layout.signatureS, count: 72))
    }

    /// The 1184 bytes the verifier rebuilds from these fields, with zeros in every reserved
    /// area. Stricter than sev where sev would silently drop a value: a CPUID field in v2, a
    /// mitigation vector before v5, or `fmc` on Milan/Genoa is an error, as is a missing one.
    public func reportBytes() throws(SNPEvidenceError) -> [UInt8] {
        guard (2...5).contains(version) else { throw .unsupportedVersion(version) }
        for (key, path, count, _) in Self.byteArrays where self[keyPath: path].count != count {
            throw .wrongLength(field: key.rawValue, expected: count, actual: self[keyPath: path].count)
        }
        for (key, component) in [("r", signature.r), ("s", signature.s)] where component.count != 72 {
            throw .wrongLength(field: "signature." + key, expected: 72, actual: component.count)
        }
        // (member, present, belongs to this version): CPUID from v3, mitigation vectors from v5.
        let optionals: [(CodingKeys, Bool, Bool)] = [
            (.cpuidFamID, cpuidFamID != nil, version >= 3), (.cpuidModID, cpuidModID != nil, version >= 3),
            (.cpuidStep, cpuidStep != nil, version >= 3), (.launchMitVector, launchMitVector != nil, version >= 5),
            (.currentMitVector, currentMitVector != nil, version >= 5),
        ]
        for (key, present, belongs) in optionals where present != belongs {
            throw present ? .unexpectedField(key.rawValue) : .missingField(key.rawValue)
        }
        let layout = try SNPTCBLayout.forReport(version: version, cpuidFamID: cpuidFamID, cpuidModID: cpuidModID, chipID: chipID)

        var bytes = [UInt8](repeating: 0, count: Layout.byteCount)
        bytes.putLittleEndian(version, at: Layout.version)
        bytes.putLittleEndian(guestSVN, at: Layout.guestSVN)
        bytes.putLittleEndian(policy, at: Layout.policy)
        for (_, path, _, offset) in Self.byteArrays { bytes.put(self[keyPath: path], at: offset) }
        bytes.putLittleEndian(vmpl, at: Layout.vmpl)
        bytes.putLittleEndian(sigAlgo, at: Layout.sigAlgo)
        bytes.put(try currentTCB.bytes(layout: layout, field: CodingKeys.currentTCB.rawValue), at: Layout.currentTCB)
        bytes.putLittleEndian(platformInfo, at: Layout.platformInfo)
        bytes.putLittleEndian(keyInfo, at: Layout.keyInfo)
        bytes.put(try reportedTCB.bytes(layout: layout, field: CodingKeys.reportedTCB.rawValue), at: Layout.reportedTCB)
        if let cpuidFamID, let cpuidModID, let cpuidStep {
            bytes.put([cpuidFamID, cpuidModID, cpuidStep], at: Layout.cpuidFamID)
        }
        bytes.put(try committedTCB.bytes(layout: layout, field: CodingKeys.committedTCB.rawValue), at: Layout.committedTCB)
        bytes.put(current.bytes, at: Layout.currentVersion)
        bytes.put(committed.bytes, at: Layout.committedVersion)
        bytes.put(try launchTCB.bytes(layout: layout, field: CodingKeys.launchTCB.rawValue), at: Layout.launchTCB)
        if let launchMitVector, let currentMitVector {
            bytes.putLittleEndian(launchMitVector, at: Layout.launchMitVector)
            bytes.putLittleEndian(currentMitVector, at: Layout.currentMitVector)
        }
        bytes.put(signature.r, at: Layout.signatureR)
        bytes.put(signature.s, at: Layout.signatureS)
        return bytes
    }
}
