/// What a launch measurement covers: the guest mode, the firmware, the vCPUs and, for measured
/// direct boot, the kernel hash table. Built by the caller from files it read; nothing here does I/O.
public struct LaunchConfiguration: Sendable {
    /// Coconut-SVSM placed just below OVMF_VARS, which sits just below OVMF (`snp:svsm`).
    public struct SVSM: Sendable {
        public var image: [UInt8]
        public var name: String
        /// Size of the OVMF_VARS flash in bytes.
        public var varsSize: Int

        public init(image: [UInt8], name: String, varsSize: Int) {
            self.image = image
            self.name = name
            self.varsSize = varsSize
        }
    }

    public var mode: GuestMode
    public var firmware: FirmwareImage
    public var vcpus: Int
    /// CPUID Fn0000_0001_EAX of the guest's vCPUs (0 in SEV mode, ignored for EC2 and GCE).
    public var vcpuSignature: UInt32
    public var vmm: VMMType
    /// SEV_FEATURES of the SNP VMSAs (the peer's `--guest-features`; SEV-ES uses 0, SVSM 0x1).
    public var guestFeatures: UInt64
    /// Kernel, initrd and command-line hashes, when the firmware is to verify the blobs.
    public var kernelHashes: SEVHashTable?
    /// A precomputed SNP firmware digest (``LaunchMeasurement/snpFirmwareDigest(_:hashing:)``) that
    /// replaces measuring the firmware's pages (`snp` only).
    public var firmwareDigest: [UInt8]?
    public var svsm: SVSM?

    public init(
        mode: GuestMode, firmware: FirmwareImage, vcpus: Int = 1, vcpuSignature: UInt32 = 0, vmm: VMMType = .qemu, guestFeatures: UInt64 = 0x1,
        kernelHashes: SEVHashTable? = nil, firmwareDigest: [UInt8]? = nil, svsm: SVSM? = nil
    ) {
        self.mode = mode
        self.firmware = firmware
        self.vcpus = vcpus
        self.vcpuSignature = vcpuSignature
        self.vmm = vmm
        self.guestFeatures = guestFeatures
        self.kernelHashes = kernelHashes
        self.firmwareDigest = firmwareDigest
        self.svsm = svsm
    }
}

/// The expected launch digest (the SNP report's MEASUREMENT, or the SEV/SEV-ES LAUNCH_MEASURE
/// digest), computed exactly as sev-snp-measure 0.0.13 does for the same inputs.
public enum LaunchMeasurement {
    /// The largest vCPU count accepted (KVM_MAX_VCPUS on x86).
    public static let maximumVCPUs = 4096

    public static func compute(_ configuration: LaunchConfiguration, hashing: any LaunchDigestHashing) throws(MeasurementError) -> [UInt8] {
        let c = configuration
        if c.mode != .sev && c.mode != .snpOVMFHash {
            guard (1...maximumVCPUs).contains(c.vcpus) else {
                throw .invalidInput(what: "vCPU count", reason: "\(c.vcpus) is outside 1…\(maximumVCPUs)")
            }
        }
        if c.firmwareDigest != nil && c.mode != .snp {
            throw .invalidInput(what: "precomputed firmware digest", reason: "only the snp mode can start from one, not \(c.mode.rawValue)")
        }
        if c.kernelHashes != nil && (c.mode == .snpSVSM || c.mode == .snpOVMFHash) {
            throw .invalidInput(what: "kernel hashes", reason: "the \(c.mode.rawValue) mode does not measure a kernel, initrd or command line")
        }
        switch c.mode {
        case .snpOVMFHash:
            return try snpFirmwareDigest(c.firmware, hashing: hashing)
        case .snp:
            return try snp(c, hashing: hashing)
        case .snpSVSM:
            return try svsm(c, hashing: hashing)
        case .sev, .seves:
            return try sevOrSEVES(c, hashing: hashing)
        }
    }

    /// The SNP digest of the firmware's pages alone (`snp:ovmf-hash`).
    public static func snpFirmwareDigest(_ firmware: FirmwareImage, hashing: any LaunchDigestHashing) throws(MeasurementError) -> [UInt8] {
        var digest = try LaunchDigest(hashing: hashing)
        try measurePages(of: firmware, into: &digest)
        return digest.value
    }

    static func measurePages(of image: FirmwareImage, into digest: inout LaunchDigest) throws(MeasurementError) {
        guard image.bytes.count % LaunchDigest.pageSize == 0 else {
            throw .firmwareSize(image: image.name, byteCount: image.bytes.count, reason: "not a whole number of 4 KiB pages, so SNP cannot launch it")
        }
        try digest.updateNormalPages(gpa: image.gpa, data: image.bytes[...])
    }

    static func snp(_ c: LaunchConfiguration, hashing: any LaunchDigestHashing) throws(MeasurementError) -> [UInt8] {
        if c.kernelHashes != nil && !c.firmware.metadata.contains(.snpKernelHashes) {
            throw .kernelHashesUnsupported(
                "\(c.firmware.name): a kernel was given but the firmware's SEV metadata has no SNP_KERNEL_HASHES section (type 0x10), "
                    + "so it cannot verify kernel, initrd and command line; use an OVMF built from edk2 OvmfPkg/AmdSev/AmdSevX64.dsc")
        }
        let apEIP = try c.firmware.sevESResetEIP()
        var digest: LaunchDigest
        if let seed = c.firmwareDigest {
            digest = try LaunchDigest(seed: seed, hashing: hashing)
        } else {
            digest = try LaunchDigest(hashing: hashing)
            try measurePages(of: c.firmware, into: &digest)
        }
        try measureMetadata(of: c.firmware, hashes: c.kernelHashes, vmm: c.vmm, into: &digest)
        for page in try resetVMSAs(apEIP: apEIP, c, sevFeatures: c.guestFeatures) { try digest.updateVMSA(page) }
        return digest.value
    }

    static func svsm(_ c: LaunchConfiguration, hashing: any LaunchDigestHashing) throws(MeasurementError) -> [UInt8] {
        guard let layout = c.svsm else { throw .invalidInput(what: "SVSM", reason: "the snp:svsm mode needs an SVSM image and the OVMF_VARS size") }
        guard c.vmm == .qemu else { throw .invalidInput(what: "VMM type", reason: "the snp:svsm mode is defined for QEMU only, not \(c.vmm.rawValue)") }
        guard layout.varsSize >= 0, UInt64(layout.varsSize) <= c.firmware.gpa else {
            throw .layout("OVMF_VARS size \(layout.varsSize) does not fit below the firmware at \(hex(c.firmware.gpa))")
        }
        let svsm = try FirmwareImage(bytes: layout.image, name: layout.name, endGPA: c.firmware.gpa - UInt64(layout.varsSize))
        let entry = try svsm.svsmEntryPoint()
        var digest = try LaunchDigest(hashing: hashing)
        try measurePages(of: c.firmware, into: &digest)
        try measurePages(of: svsm, into: &digest)
        try measureMetadata(of: svsm, hashes: nil, vmm: .qemu, into: &digest)
        let page = VMSA.svsmPage(entry: entry, vcpuSignature: c.vcpuSignature)
        for _ in 0..<c.vcpus { try digest.updateVMSA(page) }
        return digest.value
    }

    /// SEV and SEV-ES: SHA-256 over the firmware, the padded hash table (kernel hashes on) and, for
    /// SEV-ES, each vCPU's VMSA (`LAUNCH_UPDATE_DATA`, `LAUNCH_UPDATE_VMSA`; AMD #55766 §6.3–6.5).
    static func sevOrSEVES(_ c: LaunchConfiguration, hashing: any LaunchDigestHashing) throws(MeasurementError) -> [UInt8] {
        var measured = c.firmware.bytes
        if let hashes = c.kernelHashes {
            guard try c.firmware.supportsSEVHashTable() else {
                throw .kernelHashesUnsupported(
                    "\(c.firmware.name): a kernel was given but the firmware's footer table has no SEV_HASH_TABLE_RV_GUID entry with an address, "
                        + "so it cannot verify kernel, initrd and command line")
            }
            measured += hashes.bytes
        }
        if c.mode == .seves {
            for page in try resetVMSAs(apEIP: try c.firmware.sevESResetEIP(), c, sevFeatures: 0) { measured += page }
        }
        return try hashing.sha256(of: measured)
    }

    /// The BSP's VMSA, then one per AP.
    static func resetVMSAs(apEIP: UInt32, _ c: LaunchConfiguration, sevFeatures: UInt64) throws(MeasurementError) -> [[UInt8]] {
        let bsp = VMSA.resetPage(eip: VMSA.bspEIP, sevFeatures: sevFeatures, vcpuSignature: c.vcpuSignature, vmm: c.vmm)
        guard c.vcpus > 1 else { return [bsp] }
        guard apEIP != 0 else {
            throw .missingFooterEntry(image: c.firmware.name, entry: "SEV_ES_RESET_BLOCK_GUID with a non-zero AP reset EIP (needed for \(c.vcpus) vCPUs)")
        }
        let ap = VMSA.resetPage(eip: apEIP, sevFeatures: sevFeatures, vcpuSignature: c.vcpuSignature, vmm: c.vmm)
        return [bsp] + Array(repeating: ap, count: c.vcpus - 1)
    }

    /// The metadata sections in order (QEMU `snp_launch_update_data` per section type); EC2 measures
    /// the CPUID pages after all other sections.
    static func measureMetadata(of image: FirmwareImage, hashes: SEVHashTable?, vmm: VMMType, into digest: inout LaunchDigest) throws(MeasurementError) {
        for section in image.metadata.sections {
            let gpa = UInt64(section.gpa), size = Int(section.size)
            switch section.type {
            case .snpSecMem:
                try digest.updateEmptyPages(vmm == .gce ? .unmeasured : .zero, gpa: gpa, byteCount: size)
            case .snpSecrets:
                try digest.updateEmptyPages(.secrets, gpa: gpa, byteCount: LaunchDigest.pageSize)
            case .cpuid:
                if vmm != .ec2 { try digest.updateEmptyPages(.cpuid, gpa: gpa, byteCount: LaunchDigest.pageSize) }
            case .svsmCAA:
                try digest.updateEmptyPages(.zero, gpa: gpa, byteCount: size)
            case .snpKernelHashes:
                guard let hashes else {
                    try digest.updateEmptyPages(.zero, gpa: gpa, byteCount: size)
                    continue
                }
                guard let tableGPA = try image.sevHashTableGPA() else {
                    throw .missingFooterEntry(image: image.name, entry: "SEV_HASH_TABLE_RV_GUID (\(FirmwareGUID.sevHashTable))")
                }
                guard size == LaunchDigest.pageSize else {
                    throw .layout("\(image.name): the SNP_KERNEL_HASHES section at \(hex(gpa)) is \(size) bytes; QEMU fills exactly one 4 KiB page")
                }
                let page = try hashes.page(offsetInPage: Int(tableGPA & 0xFFF), image: image.name)
                try digest.updateNormalPages(gpa: gpa, data: page[...])
            }
        }
        if vmm == .ec2 {
            for section in image.metadata.sections where section.type == .cpuid {
                try digest.updateEmptyPages(.cpuid, gpa: UInt64(section.gpa), byteCount: LaunchDigest.pageSize)
            }
        }
    }
}

/// The guest mode being measured (`--mode`).
public enum GuestMode: String, Sendable, Hashable, CaseIterable {
    /// SEV: SHA-256 over the firmware (and the kernel hash table).
    case sev
    /// SEV-ES: as SEV, then every vCPU's VMSA.
    case seves
    /// SEV-SNP: SNP_LAUNCH_UPDATE digest over firmware pages, metadata sections and VMSAs.
    case snp
    /// SEV-SNP's firmware-only digest, to be passed later as a precomputed seed.
    case snpOVMFHash = "snp:ovmf-hash"
    /// SEV-SNP with Coconut-SVSM below OVMF_VARS.
    case snpSVSM = "snp:svsm"
}
