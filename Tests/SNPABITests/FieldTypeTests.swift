import SNPABI
import Testing

@Suite struct TCBVersionTests {
    @Test func legacyLayoutFromReference() {
        // docs/snp-abi.md §3.3: raw 0200000000000544 = 0x4405000000000002 → bl 2, tee 0, snp 5, ucode 0x44.
        let tcb = TCBVersion(rawValue: 0x4405_0000_0000_0002, generation: .milan)
        #expect(tcb.bootLoader == 2 && tcb.tee == 0 && tcb.snp == 5 && tcb.microcode == 0x44)
        #expect(tcb.fmc == nil)
        #expect(tcb.reservedBits == 0)
        #expect(tcb.description == "bl 2 tee 0 snp 5 ucode 68")
    }

    @Test(arguments: [ProcessorGeneration?.none, .milan, .genoa])
    func legacyEncodePlacesBytes(generation: ProcessorGeneration?) {
        let tcb = TCBVersion(bootLoader: 0x11, tee: 0x22, snp: 0x33, microcode: 0x44, fmc: 0x55, generation: generation)
        #expect(tcb.rawValue == 0x4433_0000_0000_2211)
        #expect(tcb.fmc == nil)
        #expect(tcb.generation == generation)
    }

    @Test func turinLayout() {
        let tcb = TCBVersion(bootLoader: 2, tee: 3, snp: 4, microcode: 9, fmc: 1, generation: .turin)
        #expect(tcb.rawValue == 0x0900_0000_0403_0201)
        #expect(tcb.fmc == 1 && tcb.bootLoader == 2 && tcb.tee == 3 && tcb.snp == 4 && tcb.microcode == 9)
        #expect(tcb.description == "fmc 1 bl 2 tee 3 snp 4 ucode 9")
        #expect(TCBVersion(rawValue: 0x0000_0100_0000_0000, generation: .turin).reservedBits == 0x0000_0100_0000_0000)
        #expect(TCBVersion(rawValue: 0x0000_0100_0000_0000, generation: .milan).reservedBits == 0x0000_0100_0000_0000)
        #expect(TCBVersion(rawValue: 0x0001_0000_0000_0000, generation: .turin).reservedBits == 0x0001_0000_0000_0000)
        #expect(TCBVersion(rawValue: 0x0001_0000_0000_0000, generation: .milan).reservedBits == 0)
    }
}

@Suite struct FlagFieldTests {
    @Test func platformInfoBits() {
        let info = PlatformInfo(rawValue: 0x25)  // the Genoa vector: SMT, ECC, alias check
        #expect(info.smtEnabled && !info.tsmeEnabled && info.eccEnabled && info.aliasCheckComplete)
        #expect(!PlatformInfo(rawValue: 0x7F).tioEnabled)
        #expect(PlatformInfo(rawValue: 0x80).tioEnabled)
        #expect(PlatformInfo(rawValue: 0x08).raplDisabled)
        #expect(PlatformInfo(rawValue: 0x10).ciphertextHidingEnabled)
        #expect(PlatformInfo(rawValue: 0x40).reservedBits == 0x40)
        #expect(PlatformInfo(rawValue: 0x100).reservedBits == 0x100)
        #expect(PlatformInfo(rawValue: 0xBF).reservedBits == 0)
    }

    @Test(arguments: [(UInt32(0), SigningKey.vcek), (0b100, .vlek), (0b11100, .none), (0b01000, .reserved(2)), (0b11000, .reserved(6))])
    func keyInfoSigningKey(raw: UInt32, key: SigningKey) {
        let info = KeyInfo(rawValue: raw)
        #expect(info.signingKey == key)
        #expect(info.signingKey.fieldValue == UInt8(raw >> 2))
    }

    @Test func keyInfoFlags() {
        #expect(KeyInfo(rawValue: 1).authorKeyEnabled && !KeyInfo(rawValue: 1).maskChipKey)
        #expect(KeyInfo(rawValue: 2).maskChipKey && !KeyInfo(rawValue: 2).authorKeyEnabled)
        #expect(KeyInfo(rawValue: 0x20).reservedBits == 0x20)
        #expect(KeyInfo(rawValue: 0x1F).reservedBits == 0)
    }

    @Test func firmwareVersionOrderAndText() {
        let old = FirmwareVersion(major: 1, minor: 49, build: 3)
        let new = FirmwareVersion(major: 1, minor: 55, build: 29)
        #expect(old < new)
        #expect(FirmwareVersion(major: 1, minor: 55, build: 40) > new)
        #expect(FirmwareVersion(major: 2, minor: 0, build: 0) > new)
        #expect(new.description == "1.55.29")
    }

    @Test func signatureBigEndianIsReversedLowHalf() {
        let r = (1...72).map { UInt8($0) }
        let signature = ReportSignature(r: r, s: r.reversed())
        #expect(signature.rBigEndian == Array((1...48).map { UInt8($0) }.reversed()))
        #expect(signature.sBigEndian.count == 48)
        #expect(signature.sBigEndian.first == 25)
    }
}
