/// A mutable set of ATTESTATION_REPORT fields for building reports: fakes of the AMD-SP, tests,
/// reports with chosen policy or TCB values.
///
/// A draft is not validated. `AttestationReport(bytes: draft.serializedBytes())` parses it with
/// all the usual checks. To sign: serialize, sign bytes `0..<AttestationReport.signedByteCount`, set
/// ``signature``, then serialize again. The defaults make a valid, unsigned-looking version-2 report:
/// POLICY 0x30000 (SMT, bit 17), SIGNATURE_ALGO 1, REPORT_ID_MA all 0xFF, everything else zero.
public struct AttestationReportDraft: Sendable {
    public var version: UInt32 = 2
    public var guestSVN: UInt32 = 0
    public var policy = GuestPolicy(rawValue: 0x30000)
    /// 16 bytes.
    public var familyID = [UInt8](repeating: 0, count: 16)
    /// 16 bytes.
    public var imageID = [UInt8](repeating: 0, count: 16)
    public var vmpl: UInt32 = 0
    public var signatureAlgorithm: UInt32 = 1
    public var currentTCB: UInt64 = 0
    public var platformInfo = PlatformInfo(rawValue: 0)
    public var keyInfo = KeyInfo(rawValue: 0)
    /// 64 bytes.
    public var reportData = [UInt8](repeating: 0, count: 64)
    /// 48 bytes.
    public var measurement = [UInt8](repeating: 0, count: 48)
    /// 32 bytes.
    public var hostData = [UInt8](repeating: 0, count: 32)
    /// 48 bytes.
    public var idKeyDigest = [UInt8](repeating: 0, count: 48)
    /// 48 bytes.
    public var authorKeyDigest = [UInt8](repeating: 0, count: 48)
    /// 32 bytes.
    public var reportID = [UInt8](repeating: 0, count: 32)
    /// 32 bytes.
    public var reportIDMA = [UInt8](repeating: 0xFF, count: 32)
    public var reportedTCB: UInt64 = 0
    /// CPUID_FAM_ID, CPUID_MOD_ID, CPUID_STEP (0x188-0x18A); set only for version ≥ 3.
    public var cpuid: (family: UInt8, model: UInt8, stepping: UInt8)?
    /// 64 bytes.
    public var chipID = [UInt8](repeating: 0, count: 64)
    public var committedTCB: UInt64 = 0
    public var currentFirmware = FirmwareVersion(major: 0, minor: 0, build: 0)
    public var committedFirmware = FirmwareVersion(major: 0, minor: 0, build: 0)
    public var launchTCB: UInt64 = 0
    /// LAUNCH_MIT_VECTOR and CURRENT_MIT_VECTOR (0x1F8, 0x200); set only for version 5.
    public var mitigationVectors: (launch: UInt64, current: UInt64)?
    /// R and S, 72 bytes each, little-endian.
    public var signature = ReportSignature(
        r: [UInt8](repeating: 0, count: ReportSignature.componentByteCount),
        s: [UInt8](repeating: 0, count: ReportSignature.componentByteCount)
    )

    /// A draft with the defaults listed on the type.
    public init() {}

    /// A draft holding every field of `report`.
    public init(_ report: AttestationReport) {
        version = report.version
        guestSVN = report.guestSVN
        policy = report.policy
        familyID = report.familyID
        imageID = report.imageID
        vmpl = report.vmpl
        signatureAlgorithm = report.signatureAlgorithm
        currentTCB = report.currentTCB.rawValue
        platformInfo = report.platformInfo
        keyInfo = report.keyInfo
        reportData = report.reportData
        measurement = report.measurement
        hostData = report.hostData
        idKeyDigest = report.idKeyDigest
        authorKeyDigest = report.authorKeyDigest
        reportID = report.reportID
        reportIDMA = report.reportIDMA
        reportedTCB = report.reportedTCB.rawValue
        if let family = report.cpuidFamilyID, let model = report.cpuidModelID, let stepping = report.cpuidStepping {
            cpuid = (family, model, stepping)
        }
        chipID = report.chipID
        committedTCB = report.committedTCB.rawValue
        currentFirmware = report.currentFirmware
        committedFirmware = report.committedFirmware
        launchTCB = report.launchTCB.rawValue
        if let launch = report.launchMitigationVector, let current = report.currentMitigationVector {
            mitigationVectors = (launch, current)
        }
        signature = report.signature
    }

    /// The 0x4A0-byte ABI encoding (reserved bytes zero).
    /// - Precondition: every byte-array field has the size its doc comment states.
    public func serializedBytes() -> [UInt8] {
        var out = ByteWriter(count: AttestationReport.byteCount)
        func put(_ data: [UInt8], at offset: Int, size: Int) {
            precondition(data.count == size, "AttestationReportDraft field at \(hexOffset(offset)) has \(data.count) bytes, needs \(size)")
            out.put(data, at: offset)
        }
        out.put(version, at: 0x000)
        out.put(guestSVN, at: 0x004)
        out.put(policy.rawValue, at: 0x008)
        put(familyID, at: 0x010, size: 16)
        put(imageID, at: 0x020, size: 16)
        out.put(vmpl, at: 0x030)
        out.put(signatureAlgorithm, at: 0x034)
        out.put(currentTCB, at: 0x038)
        out.put(platformInfo.rawValue, at: 0x040)
        out.put(keyInfo.rawValue, at: 0x048)
        put(reportData, at: 0x050, size: 64)
        put(measurement, at: 0x090, size: 48)
        put(hostData, at: 0x0C0, size: 32)
        put(idKeyDigest, at: 0x0E0, size: 48)
        put(authorKeyDigest, at: 0x110, size: 48)
        put(reportID, at: 0x140, size: 32)
        put(reportIDMA, at: 0x160, size: 32)
        out.put(reportedTCB, at: 0x180)
        if let cpuid { out.put([cpuid.family, cpuid.model, cpuid.stepping], at: 0x188) }
        put(chipID, at: 0x1A0, size: 64)
        out.put(committedTCB, at: 0x1E0)
        out.put([currentFirmware.build, currentFirmware.minor, currentFirmware.major], at: 0x1E8)
        out.put([committedFirmware.build, committedFirmware.minor, committedFirmware.major], at: 0x1EC)
        out.put(launchTCB, at: 0x1F0)
        if let mitigationVectors {
            out.put(mitigationVectors.launch, at: 0x1F8)
            out.put(mitigationVectors.current, at: 0x200)
        }
        put(signature.r, at: 0x2A0, size: ReportSignature.componentByteCount)
        put(signature.s, at: 0x2E8, size: ReportSignature.componentByteCount)
        return out.bytes
    }
}
