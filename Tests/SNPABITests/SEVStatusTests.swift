import SNPABI
import Testing

@Suite struct SEVStatusTests {
    @Test func decodesSNPWithFeatureBits() {
        // SEV | SEV-ES | SEV-SNP | DebugSwap (bit 7) | SecureTSC (bit 11)
        let status = SEVStatus(rawValue: 0b111 | 1 << 7 | 1 << 11)
        #expect(status.mode == .sevSNP)
        #expect(status.isConsistent)
        #expect(status.setBits.map(\.name) == ["SEV", "SEV-ES", "SEV-SNP", "DebugSwap", "SecureTSC"])
        #expect(status.reservedBitsSet == 0)
    }

    @Test func vTOMAndReflectVC() {
        let status = SEVStatus(rawValue: 0b111 | 1 << 3 | 1 << 4)
        #expect(status.vTOM)
        #expect(status.reflectVC)
    }

    @Test(arguments: [(UInt64(0), MemoryEncryptionMode.none), (1, .sev), (3, .sevES), (7, .sevSNP)])
    func modes(raw: UInt64, mode: MemoryEncryptionMode) {
        #expect(SEVStatus(rawValue: raw).mode == mode)
        #expect(SEVStatus(rawValue: raw).isConsistent)
    }

    @Test(arguments: [UInt64(0b100), UInt64(0b010), UInt64(0b101), UInt64(0b001) | UInt64(1) << 7])
    func inconsistentCombinations(raw: UInt64) {
        #expect(!SEVStatus(rawValue: raw).isConsistent)
    }

    @Test func reservedBitsReported() {
        let status = SEVStatus(rawValue: 0b111 | 1 << 13 | 1 << 40)
        #expect(status.reservedBitsSet == 1 << 13 | 1 << 40)
        #expect(status.definedBitsDoNotOverlapReserved)
    }

    @Test func cpuidCapabilities() {
        let caps = MemoryEncryptionCapabilities(eax: 0x1000_001F | 1 << 28, ebx: 0x0000_5173, ecx: 0, edx: 0)
        #expect(caps.advertisedMode == .sevSNP)
        #expect(caps.svsmPresent)
        #expect(caps.cBitPosition == 51)
        #expect(caps.featureNames.contains("sev_snp"))
        #expect(MemoryEncryptionCapabilities(eax: 0b1011, ebx: 0, ecx: 0, edx: 0).advertisedMode == .sevES)
    }
}

extension SEVStatus {
    var definedBitsDoNotOverlapReserved: Bool {
        Self.definedBits.allSatisfy { Self.reservedMask & (1 << UInt64($0.position)) == 0 || $0.name.isEmpty }
    }
}
