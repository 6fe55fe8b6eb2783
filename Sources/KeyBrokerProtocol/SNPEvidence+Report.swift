extension SNPEvidence {
    /// sev `AttestationReport` in its serde JSON form (SEV7 `firmware/guest/types/snp.rs:243-313`,
    /// spec §1.2): integers as JSON integers, byte arrays as arrays of exactly N integers,
    /// reserved areas absent. Names follow the AMD ABI (ATTESTATION_REPORT) in Swift casing;
    /// the JSON names are sev's.
    public struct Report: Encodable, Hashable, Sendable {
        /// VERSION (0x000): 2…5.
        public let version: UInt32
        /// GUEST_SVN (0x004).
        public let guestSVN: UInt32
        /// POLICY (0x008), the raw u64.
        public let policy: UInt64
        /// FAMILY_ID (0x010, 16 bytes).
        public let familyID: [UInt8]
        /// IMAGE_ID (0x020, 16 bytes).
        public let imageID: [UInt8]
        /// VMPL (0x030). Trustee requires 0.
        public let vmpl: UInt32
        /// SIGNATURE_ALGO (0x034): 1 = ECDSA P-384 with SHA-384.
        public let sigAlgo: UInt32
        /// CURRENT_TCB (0x038).
        public let currentTCB: TCB
        /// PLATFORM_INFO (0x040), the raw u64.
        public let platformInfo: UInt64
        /// KEY_INFO (0x048): AUTHOR_KEY_EN, MASK_CHIP_KEY, SIGNING_KEY bits.
        public let keyInfo: UInt32
        /// REPORT_DATA (0x050, 64 bytes): the runtime-data digest, zero-padded.
        public let reportData: [UInt8]
        /// MEASUREMENT (0x090, 48 bytes).
        public let measurement: [UInt8]
        /// HOST_DATA (0x0C0, 32 bytes): the init-data digest, if any.
        public let hostData: [UInt8]
        /// ID_KEY_DIGEST (0x0E0, 48 bytes).
        public let idKeyDigest: [UInt8]
        /// AUTHOR_KEY_DIGEST (0x110, 48 bytes).
        public let authorKeyDigest: [UInt8]
        /// REPORT_ID (0x140, 32 bytes).
        public let reportID: [UInt8]
        /// REPORT_ID_MA (0x160, 32 bytes).
        public let reportIDMA: [UInt8]
        /// REPORTED_TCB (0x180): the TCB the signing VCEK was derived for.
        public let reportedTCB: TCB
        /// CPUID_FAM_ID (0x188), version ≥ 3; nil in version 2.
        public let cpuidFamID: UInt8?
        /// CPUID_MOD_ID (0x189), version ≥ 3.
        public let cpuidModID: UInt8?
        /// CPUID_STEP (0x18A), version ≥ 3.
        public let cpuidStep: UInt8?
        /// CHIP_ID (0x1A0, 64 bytes); zero when MASK_CHIP_ID is set.
        public let chipID: [UInt8]
        /// COMMITTED_TCB (0x1E0).
        public let committedTCB: TCB
        /// CURRENT_BUILD/MINOR/MAJOR (0x1E8).
        public let current: FirmwareVersion
        /// COMMITTED_BUILD/MINOR/MAJOR (0x1EC).
        public let committed: FirmwareVersion
        /// LAUNCH_TCB (0x1F0).
        public let launchTCB: TCB
        /// LAUNCH_MIT_VECTOR (0x1F8), version ≥ 5; nil before.
        public let launchMitVector: UInt64?
        /// CURRENT_MIT_VECTOR (0x200), version ≥ 5.
        public let currentMitVector: UInt64?
        /// SIGNATURE (0x2A0): r and s.
        public let signature: Signature

        enum CodingKeys: String, CodingKey {
            case version
            case guestSVN = "guest_svn"
            case policy
            case familyID = "family_id"
            case imageID = "image_id"
            case vmpl
            case sigAlgo = "sig_algo"
            case currentTCB = "current_tcb"
            case platformInfo = "plat_info"
            case keyInfo = "key_info"
            case reportData = "report_data"
            case measurement
            case hostData = "host_data"
            case idKeyDigest = "id_key_digest"
            case authorKeyDigest = "author_key_digest"
            case reportID = "report_id"
            case reportIDMA = "report_id_ma"
            case reportedTCB = "reported_tcb"
            case cpuidFamID = "cpuid_fam_id"
            case cpuidModID = "cpuid_mod_id"
            case cpuidStep = "cpuid_step"
            case chipID = "chip_id"
            case committedTCB = "committed_tcb"
            case current, committed
            case launchTCB = "launch_tcb"
            case launchMitVector = "launch_mit_vector"
            case currentMitVector = "current_mit_vector"
            case signature
        }

        /// Byte-array members with their length and report offset, in report order.
        static var byteArrays: [(CodingKeys, KeyPath<Report, [UInt8]>, count: Int, offset: Int)] {
            typealias L = SNPReportLayout
            return [
                (.familyID, \.familyID, 16, L.familyID), (.imageID, \.imageID, 16, L.imageID),
                (.reportData, \.reportData, 64, L.reportData), (.measurement, \.measurement, 48, L.measurement),
                (.hostData, \.hostData, 32, L.hostData), (.idKeyDigest, \.idKeyDigest, 48, L.idKeyDigest),
                (.authorKeyDigest, \.authorKeyDigest, 48, L.authorKeyDigest), (.reportID, \.reportID, 32, L.reportID),
                (.reportIDMA, \.reportIDMA, 32, L.reportIDMA), (.chipID, \.chipID, 64, L.chipID),
            ]
        }

        /// Every member, `null` for absent options, as sev ≥ 6.3 serializes it.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(version, forKey: .version)
            try c.encode(guestSVN, forKey: .guestSVN)
            try c.encode(policy, forKey: .policy)
            try c.encode(vmpl, forKey: .vmpl)
            try c.encode(sigAlgo, forKey: .sigAlgo)
            try c.encode(currentTCB, forKey: .currentTCB)
            try c.encode(platformInfo, forKey: .platformInfo)
            try c.encode(keyInfo, forKey: .keyInfo)
            try c.encode(reportedTCB, forKey: .reportedTCB)
            try c.encode(cpuidFamID, forKey: .cpuidFamID)
            try c.encode(cpuidModID, forKey: .cpuidModID)
            try c.encode(cpuidStep, forKey: .cpuidStep)
            try c.encode(committedTCB, forKey: .committedTCB)
            try c.encode(current, forKey: .current)
            try c.encode(committed, forKey: .committed)
            try c.encode(launchTCB, forKey: .launchTCB)
            try c.encode(launchMitVector, forKey: .launchMitVector)
            try c.encode(currentMitVector, forKey: .currentMitVector)
            try c.encode(signature, forKey: .signature)
            for (key, path, _, _) in Self.byteArrays { try c.encode(self[keyPath: path], forKey: key) }
        }
    }
}
