import Foundation
import GuestGuardCrypto
import GuestGuardTestSupport
import SNPABI
import SNPMeasure
import Testing

/// The algorithm on the peer's published sample values (shared/fixtures/measure/README.md), an
/// independent PAGE_INFO reconstruction, the VMSA and hash-table layouts, and every refusal.
@Suite struct LaunchMeasurementTests {
    let digests = TestDigests()

    func snp(_ bytes: [UInt8], name: String = "fw", vcpus: Int, type: String, hashes: SEVHashTable? = nil) throws -> String {
        let configuration = LaunchConfiguration(
            mode: .snp, firmware: try FirmwareImage(bytes: bytes, name: name), vcpus: vcpus, vcpuSignature: VCPUType.signature(named: type)!, kernelHashes: hashes)
        return Hex.encode(try LaunchMeasurement.compute(configuration, hashing: digests))
    }

    @Test func publishedSampleValues() throws {
        #expect(try snp(try Fixture.bytes("ovmf_AmdSev_suffix.bin"), vcpus: 1, type: "EPYC-v4")
            == "19358ba9a7615534a9a1e2f0dfc29384dcd4dcb7062ff9c6013b26869a5fc6ecabe033c48dd6f6db5d6d76e7c5df632d")
        #expect(try snp(try Fixture.bytes("ovmf_OvmfX64_suffix.bin"), vcpus: 1, type: "EPYC-v4")
            == "da0296de8193586a5512078dcd719eccecbd87e2b825ad4148c44f665dc87df21e5b49e21523a9ad993afdb6a30b4005")
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: Fixture.debianOVMF), "Debian's ovmf package is not installed (make deps installs it)"))
    func debianOVMFSampleValue() throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Fixture.debianOVMF)))
        #expect(try snp(bytes, vcpus: 2, type: "EPYC-Milan")
            == "28c4e315b19983455da14071e8cdceafc703248eae74ba4cbedf5985aab9aa359bd37f2cd0775fa00dbc40193c4e6c79")
    }

    /// One firmware page and one VMSA, with PAGE_INFO spelled out from AMD #56860 here rather than
    /// through LaunchDigest: catches a wrong field offset even where the peer would agree.
    @Test func pageInfoByHand() throws {
        let firmware = SyntheticFirmware(size: 0x1000, entries: [(SyntheticFirmware.resetBlockGUID, SyntheticFirmware.le32(0xFFFF_F800))]).bytes()
        func pageInfo(_ current: [UInt8], _ contents: [UInt8], type: UInt8, gpa: UInt64) throws -> [UInt8] {
            let info = current + contents + [0x70, 0x00, type, 0, 0, 0, 0, 0] + (0..<8).map { UInt8(truncatingIfNeeded: gpa >> (8 * $0)) }
            #expect(info.count == 0x70)
            return try HashFunction.sha384.hash(info)
        }
        var expected = try pageInfo([UInt8](repeating: 0, count: 48), try HashFunction.sha384.hash(firmware), type: 1, gpa: 0xFFFF_F000)
        let vmsa = VMSA.resetPage(eip: VMSA.bspEIP, sevFeatures: 1, vcpuSignature: 0xA00F11, vmm: .qemu)
        expected = try pageInfo(expected, try HashFunction.sha384.hash(vmsa), type: 2, gpa: 0xFFFF_FFFF_F000)
        let configuration = LaunchConfiguration(mode: .snp, firmware: try FirmwareImage(bytes: firmware, name: "fw"), vcpus: 1, vcpuSignature: 0xA00F11)
        #expect(try LaunchMeasurement.compute(configuration, hashing: digests) == expected)
    }

    func field(_ page: [UInt8], _ offset: Int, _ size: Int) -> UInt64 {
        (0..<size).reduce(UInt64(0)) { $0 | UInt64(page[offset + $1]) << (8 * $1) }
    }

    /// APM Vol. 2 Table B-4 offsets of the fields a reset VMSA sets.
    @Test func resetVMSALayout() {
        let ap = VMSA.resetPage(eip: 0xFFFF_C0DE, sevFeatures: 0x21, vcpuSignature: 0xA10F00, vmm: .qemu)
        #expect(ap.count == 4096)
        #expect(field(ap, 0x10, 2) == 0xF000 && field(ap, 0x12, 2) == 0x9B && field(ap, 0x18, 8) == 0xFFFF_0000)  // CS
        #expect(field(ap, 0x178, 8) == 0xC0DE)  // RIP: low 16 bits of the EIP
        #expect(field(ap, 0x310, 8) == 0xA10F00)  // RDX: CPUID signature
        #expect(field(ap, 0x3B0, 8) == 0x21)  // SEV_FEATURES
        #expect(field(ap, 0xD0, 8) == 0x1000 && field(ap, 0x148, 8) == 0x40 && field(ap, 0x158, 8) == 0x10)
        #expect(field(ap, 0x268, 8) == 0x0007_0406_0007_0406 && field(ap, 0x3E8, 8) == 1)
        #expect(field(ap, 0x408, 4) == 0x1F80 && field(ap, 0x410, 2) == 0x37F)
        let ec2 = VMSA.resetPage(eip: VMSA.bspEIP, sevFeatures: 1, vcpuSignature: 0xA10F00, vmm: .ec2)
        #expect(field(ec2, 0x12, 2) == 0x9A && field(ec2, 0x22, 2) == 0x92 && field(ec2, 0x92, 2) == 0x83)
        #expect(field(ec2, 0x310, 8) == 0x600 && field(ec2, 0x408, 4) == 0 && field(ec2, 0x410, 2) == 0)
        let gce = VMSA.resetPage(eip: VMSA.bspEIP, sevFeatures: 1, vcpuSignature: 0xA10F00, vmm: .gce)
        #expect(field(gce, 0x268, 8) == 0x0007_0106 && field(gce, 0x310, 8) == 0x600)
    }

    @Test func vcpuSignatures() throws {
        #expect(VCPUType.signature(named: "EPYC-v4") == 0x800F12)
        #expect(VCPUType.signature(named: "EPYC-Rome") == 0x830F10)
        #expect(VCPUType.signature(named: "EPYC-Milan") == 0xA00F11)
        #expect(VCPUType.signature(named: "EPYC-Genoa") == 0xA10F10)
        #expect(VCPUType.signature(named: "EPYC-Turin") == 0xB00F00)
        #expect(VCPUType.signature(named: "Skylake") == nil)
        #expect(try VCPUType.signature(family: 6, model: 0x55, stepping: 4) == 0x50654)
        #expect(measurementError { () throws(MeasurementError) in _ = try VCPUType.signature(family: 25, model: 256, stepping: 0) } != nil)
    }

    /// QEMU `SevHashTable`: 0xA8 bytes padded to 0xB0, entries cmdline, initrd, kernel.
    @Test func hashTableLayout() throws {
        let table = try SEVHashTable(kernel: [UInt8](repeating: 0x11, count: 32), initrd: [UInt8](repeating: 0x22, count: 32), cmdline: [UInt8](repeating: 0x33, count: 32))
        let bytes = table.bytes
        #expect(bytes.count == 0xB0 && SEVHashTable.paddedSize == 0xB0)
        #expect(Array(bytes[0..<16]) == SyntheticFirmware.efiBytes("9438d606-4f22-4cc9-b479-a793d411fd21"))
        #expect(field(bytes, 0x10, 2) == 0xA8 && field(bytes, 0x22, 2) == 0x32)
        #expect(Array(bytes[0x12..<0x22]) == SyntheticFirmware.efiBytes("97d02dd8-bd20-4c94-aa78-e7714d36ab2a"))
        #expect(bytes[0x24] == 0x33 && bytes[0x56] == 0x22 && bytes[0x88] == 0x11 && bytes[0xA8..<0xB0].allSatisfy { $0 == 0 })
        #expect(SEVHashTable.commandLineBytes("a b") == [0x61, 0x20, 0x62, 0])
        let page = try table.page(offsetInPage: 0x20, image: "fw")
        #expect(page.count == 4096 && Array(page[0x20..<0xD0]) == bytes && page[0..<0x20].allSatisfy { $0 == 0 })
    }

    func hashes() throws -> SEVHashTable {
        try SEVHashTable(kernel: [UInt8](repeating: 1, count: 32), initrd: [UInt8](repeating: 2, count: 32), cmdline: [UInt8](repeating: 3, count: 32))
    }

    func compute(_ configuration: LaunchConfiguration) -> MeasurementError? {
        measurementError { () throws(MeasurementError) in _ = try LaunchMeasurement.compute(configuration, hashing: digests) }
    }

    func image(_ firmware: SyntheticFirmware, name: String = "fw") throws -> FirmwareImage { try FirmwareImage(bytes: firmware.bytes(), name: name) }

    @Test func refusesKernelWithoutKernelHashesSection() throws {
        let x64 = try FirmwareImage(bytes: try Fixture.bytes("ovmf_OvmfX64_suffix.bin"), name: "OvmfX64.fd")
        let error = compute(LaunchConfiguration(mode: .snp, firmware: x64, vcpus: 1, vcpuSignature: 0xA00F11, kernelHashes: try hashes()))
        guard case .kernelHashesUnsupported(let message) = error else { Issue.record("\(String(describing: error))"); return }
        #expect(message.contains("OvmfX64.fd") && message.contains("SNP_KERNEL_HASHES"))
        var noTable = SyntheticFirmware.amdSevLike
        noTable.entries.removeLast()  // SEV_HASH_TABLE_RV_GUID
        guard case .kernelHashesUnsupported(let sev) = compute(LaunchConfiguration(mode: .seves, firmware: try image(noTable), vcpus: 1, kernelHashes: try hashes()))
        else { Issue.record("SEV-ES accepted kernel hashes without a hash table"); return }
        #expect(sev.contains("SEV_HASH_TABLE_RV_GUID"))
        guard case .missingFooterEntry(_, let entry) = compute(LaunchConfiguration(mode: .snp, firmware: try image(noTable), vcpus: 1, kernelHashes: try hashes()))
        else { Issue.record("SNP measured kernel hashes without a hash-table address"); return }
        #expect(entry.contains("SEV_HASH_TABLE_RV_GUID"))
    }

    @Test func refusesBadKernelHashesPage() throws {
        var big = SyntheticFirmware.amdSevLike
        big.sections[3].size = 0x2000
        guard case .layout(let message) = compute(LaunchConfiguration(mode: .snp, firmware: try image(big), vcpus: 1, kernelHashes: try hashes())) else {
            Issue.record("a two-page SNP_KERNEL_HASHES section was accepted"); return
        }
        #expect(message.contains("0x806000") && message.contains("8192 bytes"))
        var late = SyntheticFirmware.amdSevLike
        late.entries[1].data = SyntheticFirmware.le32(0x80_6F80) + SyntheticFirmware.le32(0x400)
        guard case .layout(let offset) = compute(LaunchConfiguration(mode: .snp, firmware: try image(late), vcpus: 1, kernelHashes: try hashes())) else {
            Issue.record("a hash table crossing its page was accepted"); return
        }
        #expect(offset.contains("0xF80"))
    }

    @Test func refusesBadParameters() throws {
        let fw = try image(.amdSevLike)
        for count in [0, LaunchMeasurement.maximumVCPUs + 1] {
            guard case .invalidInput(let what, _) = compute(LaunchConfiguration(mode: .snp, firmware: fw, vcpus: count)) else { Issue.record("\(count) vCPUs accepted"); continue }
            #expect(what == "vCPU count")
        }
        guard case .invalidInput(let what, _) = compute(LaunchConfiguration(mode: .seves, firmware: fw, vcpus: 1, firmwareDigest: [UInt8](repeating: 0, count: 48)))
        else { Issue.record("a seed outside snp mode was accepted"); return }
        #expect(what == "precomputed firmware digest")
        guard case .invalidInput(let seed, _) = compute(LaunchConfiguration(mode: .snp, firmware: fw, vcpus: 1, firmwareDigest: [UInt8](repeating: 0, count: 47)))
        else { Issue.record("a 47-byte seed was accepted"); return }
        #expect(seed == "launch digest seed")
        guard case .firmwareSize(let name, 0x4010, _) = compute(LaunchConfiguration(mode: .snp, firmware: try image(SyntheticFirmware(size: 0x4010, entries: [(SyntheticFirmware.resetBlockGUID, SyntheticFirmware.le32(0xFFFF_F000))]), name: "odd.fd"), vcpus: 1))
        else { Issue.record("a partial page was launched"); return }
        #expect(name == "odd.fd")
        var zeroEIP = SyntheticFirmware.amdSevLike
        zeroEIP.entries[0].data = SyntheticFirmware.le32(0)
        #expect(compute(LaunchConfiguration(mode: .snp, firmware: try image(zeroEIP), vcpus: 1)) == nil)
        guard case .missingFooterEntry(_, let entry) = compute(LaunchConfiguration(mode: .snp, firmware: try image(zeroEIP), vcpus: 2)) else {
            Issue.record("APs measured without a reset EIP"); return
        }
        #expect(entry.contains("non-zero AP reset EIP"))
    }

    @Test func svsmLayoutErrors() throws {
        let ovmf = try image(.amdSevLike)
        func svsm(_ firmware: SyntheticFirmware, vars: Int, vmm: VMMType = .qemu) throws -> MeasurementError? {
            compute(LaunchConfiguration(mode: .snpSVSM, firmware: ovmf, vcpus: 2, vmm: vmm, svsm: .init(image: firmware.bytes(), name: "svsm.bin", varsSize: vars)))
        }
        #expect(try svsm(.svsm, vars: 0x20000) == nil)
        guard case .layout = try svsm(.svsm, vars: Int(ovmf.gpa) + 1) else { Issue.record("OVMF_VARS larger than the space below OVMF accepted"); return }
        guard case .invalidInput(let what, _) = try svsm(.svsm, vars: 0x20000, vmm: .ec2) else { Issue.record("SVSM under ec2 accepted"); return }
        #expect(what == "VMM type")
        guard case .missingFooterEntry(let name, let entry) = try svsm(SyntheticFirmware(size: 0x1000, entries: []), vars: 0x20000) else {
            Issue.record("an SVSM without SVSM_INFO_GUID accepted"); return
        }
        #expect(name == "svsm.bin" && entry.contains("SVSM_INFO_GUID"))
    }
}
