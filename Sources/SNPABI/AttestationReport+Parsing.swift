extension AttestationReport {
    /// Parses and validates a report.
    ///
    /// Checks, in offset order after size and VERSION: POLICY bit 17 set and bits 63:26 clear;
    /// SIGNATURE_ALGO == 1; KEY_INFO bits 31:5 clear and SIGNING_KEY not reserved; must-be-zero
    /// ranges 0x04C..<0x050, 0x188..<0x1A0 (v2) or 0x18B..<0x1A0 (v3+), 0x1EB, 0x1EF,
    /// 0x1F8..<0x2A0 (v2, v3) or 0x208..<0x2A0 (v5), bytes 48..<72 of R and S, and 0x330..<0x4A0.
    ///
    /// The generation (and so the TCB_VERSION layout) is decided as follows:
    /// - version ≥ 3: from CPUID_FAM_ID / CPUID_MOD_ID (``ProcessorGeneration/init(cpuidFamily:model:)``);
    ///   an unknown pair gives nil and the hint is not consulted; a hint that contradicts a
    ///   known pair throws ``ReportParseError/generationMismatch(hint:reported:)``.
    /// - version 2: `generationHint` when given; otherwise Turin when CHIP_ID[8..<64] is all
    ///   zero, CHIP_ID[0..<8] is not, and MASK_CHIP_KEY is clear (Turin chip IDs are 8 bytes;
    ///   virtee/sev heuristic); otherwise nil, and TCB values decode with the Milan/Genoa layout.
    ///   An all-zero CHIP_ID is a masked one whatever KEY_INFO says, so it decides nothing
    ///   (`docs/snp-abi.md` §3.3: "if CHIP_ID is masked a v2 report is ambiguous").
    public init(bytes input: some Collection<UInt8>, generationHint: ProcessorGeneration? = nil) throws(ReportParseError) {
        let bytes = Array(input)
        guard bytes.count == Self.byteCount else { throw .wrongSize(actual: bytes.count) }
        var reader = ReportFieldReader(ByteReader(bytes))

        let version = try reader.u32()
        guard Self.supportedVersions.contains(version) else { throw .unsupportedVersion(version) }
        let guestSVN = try reader.u32()
        let policy = GuestPolicy(rawValue: try reader.u64())
        guard policy.reservedMustBeOne else { throw .policyMustBeOneBitClear(policy: policy.rawValue) }
        guard policy.reservedBits == 0 else {
            throw .reservedBitsSet(offset: 0x008, value: policy.rawValue, bits: policy.reservedBits)
        }
        let familyID = try reader.bytes(16)
        let imageID = try reader.bytes(16)
        let vmpl = try reader.u32()
        let signatureAlgorithm = try reader.u32()
        guard signatureAlgorithm == 1 else { throw .unsupportedSignatureAlgorithm(signatureAlgorithm) }
        let currentTCBRaw = try reader.u64()
        let platformInfo = PlatformInfo(rawValue: try reader.u64())
        let keyInfo = KeyInfo(rawValue: try reader.u32())
        guard keyInfo.reservedBits == 0 else {
            throw .reservedBitsSet(offset: 0x048, value: UInt64(keyInfo.rawValue), bits: UInt64(keyInfo.reservedBits))
        }
        if case let .reserved(value) = keyInfo.signingKey { throw .reservedSigningKey(value) }
        try reader.zero(0x04C..<0x050)
        let reportData = try reader.bytes(64)
        let measurement = try reader.bytes(48)
        let hostData = try reader.bytes(32)
        let idKeyDigest = try reader.bytes(48)
        let authorKeyDigest = try reader.bytes(48)
        let reportID = try reader.bytes(32)
        let reportIDMA = try reader.bytes(32)
        let reportedTCBRaw = try reader.u64()
        var cpuidFamilyID: UInt8?
        var cpuidModelID: UInt8?
        var cpuidStepping: UInt8?
        if version >= 3 {
            cpuidFamilyID = try reader.u8()
            cpuidModelID = try reader.u8()
            cpuidStepping = try reader.u8()
            try reader.zero(0x18B..<0x1A0)
        } else {
            try reader.zero(0x188..<0x1A0)
        }
        let chipID = try reader.bytes(64)
        let committedTCBRaw = try reader.u64()
        let currentFirmware = try reader.firmwareVersion()
        try reader.zero(0x1EB..<0x1EC)
        let committedFirmware = try reader.firmwareVersion()
        try reader.zero(0x1EF..<0x1F0)
        let launchTCBRaw = try reader.u64()
        var launchMitigationVector: UInt64?
        var currentMitigationVector: UInt64?
        if version >= 5 {
            launchMitigationVector = try reader.u64()
            currentMitigationVector = try reader.u64()
            try reader.zero(0x208..<Self.signedByteCount)
        } else {
            try reader.zero(0x1F8..<Self.signedByteCount)
        }
        let r = try reader.signatureComponent(at: 0x2A0)
        let s = try reader.signatureComponent(at: 0x2E8)
        try reader.zero(0x330..<Self.byteCount)

        let generation = try Self.generation(
            version: version, cpuidFamilyID: cpuidFamilyID, cpuidModelID: cpuidModelID,
            chipID: chipID, keyInfo: keyInfo, hint: generationHint
        )
        self.bytes = bytes
        self.version = version
        self.guestSVN = guestSVN
        self.policy = policy
        self.familyID = familyID
        self.imageID = imageID
        self.vmpl = vmpl
        self.signatureAlgorithm = signatureAlgorithm
        self.currentTCB = TCBVersion(rawValue: currentTCBRaw, generation: generation)
        self.platformInfo = platformInfo
        self.keyInfo = keyInfo
        self.reportData = reportData
        self.measurement = measurement
        self.hostData = hostData
        self.idKeyDigest = idKeyDigest
        self.authorKeyDigest = authorKeyDigest
        self.reportID = reportID
        self.reportIDMA = reportIDMA
        self.reportedTCB = TCBVersion(rawValue: reportedTCBRaw, generation: generation)
        self.cpuidFamilyID = cpuidFamilyID
        self.cpuidModelID = cpuidModelID
        self.cpuidStepping = cpuidStepping
        self.chipID = chipID
        self.committedTCB = TCBVersion(rawValue: committedTCBRaw, generation: generation)
        self.currentFirmware = currentFirmware
        self.committedFirmware = committedFirmware
        self.launchTCB = TCBVersion(rawValue: launchTCBRaw, generation: generation)
        self.launchMitigationVector = launchMitigationVector
        self.currentMitigationVector = currentMitigationVector
        self.signature = ReportSignature(r: r, s: s)
        self.generation = generation
    }

    /// The generation rule documented on ``init(bytes:generationHint:)``: the one rule that decides
    /// the TCB_VERSION layout of a report, whether it arrives as bytes or as fields (the key broker's
    /// evidence JSON builds its report bytes with it).
    ///
    /// CHIP_ID (0x1A0) must be 64 bytes.
    public static func generation(
        version: UInt32, cpuidFamilyID: UInt8?, cpuidModelID: UInt8?, chipID: [UInt8], keyInfo: KeyInfo,
        hint: ProcessorGeneration?
    ) throws(ReportParseError) -> ProcessorGeneration? {
        precondition(chipID.count == 64, "CHIP_ID is 64 bytes")
        if version >= 3, let family = cpuidFamilyID, let model = cpuidModelID {
            guard let reported = ProcessorGeneration(cpuidFamily: family, model: model) else { return nil }
            if let hint, hint != reported { throw .generationMismatch(hint: hint, reported: reported) }
            return reported
        }
        if let hint { return hint }
        let shortChipID = chipID[8...].allSatisfy { $0 == 0 } && chipID[..<8].contains { $0 != 0 }
        if !keyInfo.maskChipKey && shortChipID { return .turin }
        return nil
    }
}

extension AttestationReport {
    /// The TCB_VERSION layout of this report's four TCB fields, or nil when the report does not
    /// decide it (``tcbLayout(version:generation:chipID:keyInfo:)``). ``TCBVersion`` decodes an
    /// undecided layout as legacy; a caller that must be exact (the evidence JSON, which has no
    /// member for a reserved byte) checks this first.
    public var tcbLayout: TCBLayout? {
        Self.tcbLayout(version: version, generation: generation, chipID: chipID, keyInfo: keyInfo)
    }

    /// The layout rule (`docs/snp-abi.md` §3.3): the generation's when it is known (CPUID for
    /// version ≥ 3, the hint or the short CHIP_ID for version 2); for a version-2 report without
    /// one, legacy (Milan or Genoa) when CHIP_ID is a full, unmasked 64-byte ID; otherwise nil:
    /// a masked CHIP_ID in version 2 is ambiguous, and a version ≥ 3 CPUID of no known
    /// generation names no layout.
    public static func tcbLayout(version: UInt32, generation: ProcessorGeneration?, chipID: [UInt8], keyInfo: KeyInfo) -> TCBLayout? {
        if let generation { return generation.tcbLayout }
        guard version == 2, !keyInfo.maskChipKey, chipID.contains(where: { $0 != 0 }) else { return nil }
        return .legacy
    }
}

/// A ``ByteReader`` whose failures are ``ReportParseError``s. The size is checked before any
/// read, so `outOfBounds` cannot happen for a well-formed layout; it maps to `wrongSize`.
private struct ReportFieldReader {
    var reader: ByteReader

    init(_ reader: ByteReader) { self.reader = reader }

    private func mapped(_ error: ByteReaderError) -> ReportParseError {
        switch error {
        case let .nonZero(range, bytes): return .reservedNonZero(range: range, bytes: bytes)
        case .outOfBounds: return .wrongSize(actual: reader.bytes.count)
        }
    }

    mutating func u8() throws(ReportParseError) -> UInt8 {
        do { return try reader.readLittleEndian(UInt8.self) } catch { throw mapped(error) }
    }

    mutating func u32() throws(ReportParseError) -> UInt32 {
        do { return try reader.readLittleEndian(UInt32.self) } catch { throw mapped(error) }
    }

    mutating func u64() throws(ReportParseError) -> UInt64 {
        do { return try reader.readLittleEndian(UInt64.self) } catch { throw mapped(error) }
    }

    mutating func bytes(_ count: Int) throws(ReportParseError) -> [UInt8] {
        do { return try reader.readBytes(count) } catch { throw mapped(error) }
    }

    mutating func zero(_ range: Range<Int>) throws(ReportParseError) {
        do { try reader.expectZero(range) } catch { throw mapped(error) }
    }

    /// BUILD, MINOR, MAJOR bytes.
    mutating func firmwareVersion() throws(ReportParseError) -> FirmwareVersion {
        let build = try u8()
        let minor = try u8()
        let major = try u8()
        return FirmwareVersion(major: major, minor: minor, build: build)
    }

    /// A 72-byte little-endian signature scalar whose bytes 48..<72 must be zero.
    mutating func signatureComponent(at offset: Int) throws(ReportParseError) -> [UInt8] {
        let significant = try bytes(ReportSignature.scalarByteCount)
        try zero((offset + ReportSignature.scalarByteCount)..<(offset + ReportSignature.componentByteCount))
        return significant + [UInt8](repeating: 0, count: ReportSignature.componentByteCount - ReportSignature.scalarByteCount)
    }
}
