import SNPABI
import Testing

/// One non-zero byte placed inside a must-be-zero range of a base report.
struct ZeroRangeCase: Sendable, CustomStringConvertible {
    enum Base: String, Sendable { case version2, version3, version5 }
    var base: Base
    var range: Range<Int>
    var offset: Int

    var description: String { "\(base.rawValue) byte 0x\(String(offset, radix: 16)) in 0x\(String(range.lowerBound, radix: 16))..<0x\(String(range.upperBound, radix: 16))" }

    func baseBytes() throws -> [UInt8] {
        switch base {
        case .version2: return try ReportVector.goSEVGuestMilan.load()
        case .version3: return try ReportVector.trusteeGenoaV3.load()
        case .version5: return try ReportMutation.derivedVersion5()
        }
    }

    /// First, middle and last byte of every range, for each layout.
    static let all: [ZeroRangeCase] = {
        var cases: [ZeroRangeCase] = []
        let layouts: [(Base, [Range<Int>])] = [
            (.version2, ReportMutation.version2ZeroRanges),
            (.version3, ReportMutation.version3ZeroRanges),
            (.version5, ReportMutation.version5ZeroRanges),
        ]
        for (base, ranges) in layouts {
            for range in ranges {
                for offset in Set([range.lowerBound, range.lowerBound + range.count / 2, range.upperBound - 1]).sorted() {
                    cases.append(ZeroRangeCase(base: base, range: range, offset: offset))
                }
            }
        }
        return cases
    }()
}

@Suite struct AttestationReportStrictnessTests {
    @Test(arguments: ZeroRangeCase.all)
    func nonZeroReservedByteIsReportedWithItsRange(testCase: ZeroRangeCase) throws {
        var bytes = try testCase.baseBytes()
        #expect(bytes[testCase.range].allSatisfy { $0 == 0 }, "base vector already violates the range")
        bytes[testCase.offset] = 0xA5
        var expectedBytes = [UInt8](repeating: 0, count: testCase.range.count)
        expectedBytes[testCase.offset - testCase.range.lowerBound] = 0xA5
        #expect(throws: ReportParseError.reservedNonZero(range: testCase.range, bytes: expectedBytes)) {
            try AttestationReport(bytes: bytes)
        }
    }

    @Test(arguments: [0, 0x49F, 0x4A1, 0x1000])
    func wrongSizeIsRejected(count: Int) throws {
        var bytes = try ReportVector.goSEVGuestMilan.load()
        if count < bytes.count { bytes = Array(bytes.prefix(count)) } else { bytes += [UInt8](repeating: 0, count: count - bytes.count) }
        #expect(throws: ReportParseError.wrongSize(actual: count)) { try AttestationReport(bytes: bytes) }
    }

    @Test(arguments: [UInt32(0), 1, 4, 6, 7, 0x0200_0000, .max])
    func unsupportedVersionIsRejected(version: UInt32) throws {
        let bytes = try ReportMutation.edited(.trusteeGenoaV3) { ReportMutation.setLittleEndian(version, at: 0, in: &$0) }
        #expect(throws: ReportParseError.unsupportedVersion(version)) { try AttestationReport(bytes: bytes) }
    }

    @Test(arguments: [UInt32(0), 2, 0x100, .max])
    func signatureAlgorithmOtherThanOneIsRejected(algorithm: UInt32) throws {
        let bytes = try ReportMutation.edited(.trusteeMilan) { ReportMutation.setLittleEndian(algorithm, at: 0x034, in: &$0) }
        #expect(throws: ReportParseError.unsupportedSignatureAlgorithm(algorithm)) { try AttestationReport(bytes: bytes) }
    }

    @Test(arguments: [UInt8(2), 3, 4, 5, 6])
    func reservedSigningKeyIsRejected(key: UInt8) throws {
        let bytes = try ReportMutation.edited(.goSEVGuestMilan) {
            ReportMutation.setLittleEndian(UInt32(key) << 2, at: 0x048, in: &$0)
        }
        #expect(throws: ReportParseError.reservedSigningKey(key)) { try AttestationReport(bytes: bytes) }
    }

    @Test func signingKeyNoneIsAccepted() throws {
        let bytes = try ReportMutation.edited(.goSEVGuestMilan) {
            ReportMutation.setLittleEndian(UInt32(7) << 2 | 1, at: 0x048, in: &$0)
        }
        let report = try AttestationReport(bytes: bytes)
        #expect(report.keyInfo.signingKey == SigningKey.none)
        #expect(report.keyInfo.authorKeyEnabled)
        #expect(report.serializedBytes() == bytes)
    }

    @Test(arguments: [5, 6, 17, 31])
    func keyInfoReservedBitIsRejected(bit: Int) throws {
        let bytes = try ReportMutation.edited(.goSEVGuestMilan) {
            ReportMutation.setLittleEndian(UInt32(1) << UInt32(bit), at: 0x048, in: &$0)
        }
        let bits = UInt64(1) << UInt64(bit)
        #expect(throws: ReportParseError.reservedBitsSet(offset: 0x048, value: bits, bits: bits)) {
            try AttestationReport(bytes: bytes)
        }
    }

    @Test func policyMustBeOneBitClearIsRejected() throws {
        let bytes = try ReportMutation.edited(.virteeMilan) { ReportMutation.setLittleEndian(UInt64(0x10000), at: 0x008, in: &$0) }
        #expect(throws: ReportParseError.policyMustBeOneBitClear(policy: 0x10000)) { try AttestationReport(bytes: bytes) }
    }

    @Test(arguments: [26, 27, 40, 63])
    func policyReservedBitIsRejected(bit: Int) throws {
        let policy = UInt64(0x30000) | UInt64(1) << UInt64(bit)
        let bytes = try ReportMutation.edited(.virteeMilan) { ReportMutation.setLittleEndian(policy, at: 0x008, in: &$0) }
        #expect(throws: ReportParseError.reservedBitsSet(offset: 0x008, value: policy, bits: UInt64(1) << UInt64(bit))) {
            try AttestationReport(bytes: bytes)
        }
    }

    @Test func definedPolicyBitsAreAcceptedAndDecoded() throws {
        let policy: UInt64 = 0x03FF_0102  // every defined flag bit 16-25, ABI 1.2
        let bytes = try ReportMutation.edited(.virteeMilan) { ReportMutation.setLittleEndian(policy, at: 0x008, in: &$0) }
        let decoded = try AttestationReport(bytes: bytes).policy
        #expect(decoded.abiMajor == 1 && decoded.abiMinor == 2)
        #expect(decoded.smtAllowed && decoded.reservedMustBeOne && decoded.migrateMA && decoded.debug)
        #expect(decoded.singleSocket && decoded.cxlAllowed && decoded.memAES256XTS && decoded.raplDisabled)
        #expect(decoded.ciphertextHiding && decoded.pageSwapDisabled)
        #expect(decoded.reservedBits == 0)
    }

    @Test func version5ParsesMitigationVectorsAndRoundTrips() throws {
        let bytes = try ReportMutation.derivedVersion5()
        let report = try AttestationReport(bytes: bytes)
        #expect(report.version == 5)
        #expect(report.launchMitigationVector == ReportMutation.launchMitigationVector)
        #expect(report.currentMitigationVector == ReportMutation.currentMitigationVector)
        #expect(report.generation == .genoa)
        #expect(report.serializedBytes() == bytes)
    }

    @Test func mitigationVectorBytesAreReservedBeforeVersion5() throws {
        // The same bytes that version 5 reads as LAUNCH_MIT_VECTOR must be zero in version 3.
        var bytes = try ReportMutation.derivedVersion5()
        ReportMutation.setLittleEndian(UInt32(3), at: 0, in: &bytes)
        let expected = Array(bytes[0x1F8..<0x2A0])
        #expect(throws: ReportParseError.reservedNonZero(range: 0x1F8..<0x2A0, bytes: expected)) {
            try AttestationReport(bytes: bytes)
        }
    }

    @Test func cpuidBytesAreReservedInVersion2() throws {
        let v3 = try ReportVector.trusteeGenoaV3.load()
        var bytes = v3
        ReportMutation.setLittleEndian(UInt32(2), at: 0, in: &bytes)
        #expect(throws: ReportParseError.reservedNonZero(range: 0x188..<0x1A0, bytes: Array(v3[0x188..<0x1A0]))) {
            try AttestationReport(bytes: bytes)
        }
    }

    @Test func errorDescriptionsNameOffsets() {
        let zero = ReportParseError.reservedNonZero(range: 0x1EB..<0x1EC, bytes: [0x01])
        #expect(zero.description.contains("0x1EB..<0x1EC"))
        #expect(zero.description.contains("01"))
        #expect(ReportParseError.wrongSize(actual: 0x49F).description.contains("1183"))
        #expect(ReportParseError.reservedBitsSet(offset: 0x48, value: 0x20, bits: 0x20).description.contains("0x48"))
        #expect(ReportParseError.unsupportedVersion(4).description.contains("4"))
        let long = ReportParseError.reservedNonZero(range: 0x330..<0x4A0, bytes: [UInt8](repeating: 1, count: 0x170))
        #expect(long.description.contains("368 bytes"))
    }
}
