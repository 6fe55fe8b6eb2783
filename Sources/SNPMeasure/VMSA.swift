import SNPABI

/// The initial VMSA page of each vCPU, which `SNP_LAUNCH_UPDATE` measures as a VMSA page (SNP) or
/// `LAUNCH_UPDATE_VMSA` hashes into the SEV-ES digest. Layout: AMD64 APM Vol. 2 Table B-4
/// "VMSA Layout, State Save Area for SEV-ES" (Linux `struct sev_es_save_area`); values: the
/// x86 reset state KVM gives a vCPU (`kvm_vcpu_reset`, `sev_es_sync_vmsa`), as sev-snp-measure
/// 0.0.13 models it for host kernels ≥ 6.10.
public enum VMSA {
    /// The BSP starts at the architectural reset vector; APs at the firmware's SEV-ES reset block.
    public static let bspEIP: UInt32 = 0xFFFF_FFF0
    /// PAT MSR power-on value (APM Vol. 2 §A.3).
    static let defaultPAT: UInt64 = 0x0007_0406_0007_0406

    /// VMCB segment register (`struct vmcb_seg`): selector, attrib, limit, base.
    struct Segment {
        var selector: UInt16, attributes: UInt16, limit: UInt32, base: UInt64 = 0
    }

    /// Table B-4 offsets used here.
    enum Offset {
        static let es = 0x000, cs = 0x010, ss = 0x020, ds = 0x030, fs = 0x040, gs = 0x050
        static let gdtr = 0x060, ldtr = 0x070, idtr = 0x080, tr = 0x090
        static let efer = 0x0D0, cr4 = 0x148, cr0 = 0x158, dr7 = 0x160, dr6 = 0x168, rflags = 0x170, rip = 0x178
        static let gPAT = 0x268, rdx = 0x310, sevFeatures = 0x3B0, xcr0 = 0x3E8, mxcsr = 0x408, x87FCW = 0x410
    }

    /// Register values that differ between VMSA flavours.
    struct State {
        var segments: [(Int, Segment)]
        var cr0: UInt64
        var rip: UInt64
        var gPAT = defaultPAT
        var rdx: UInt64
        var sevFeatures: UInt64
        var mxcsr: UInt32
        var x87FCW: UInt16
    }

    static func page(_ state: State) -> [UInt8] {
        var page = ByteWriter(count: LaunchDigest.pageSize)
        for (offset, segment) in state.segments {
            page.put(segment.selector, at: offset)
            page.put(segment.attributes, at: offset + 2)
            page.put(segment.limit, at: offset + 4)
            page.put(segment.base, at: offset + 8)
        }
        page.put(UInt64(0x1000), at: Offset.efer)  // EFER.SVME, which KVM sets
        page.put(UInt64(0x40), at: Offset.cr4)  // CR4.MCE, which KVM sets
        page.put(state.cr0, at: Offset.cr0)
        page.put(UInt64(0x400), at: Offset.dr7)
        page.put(UInt64(0xFFFF_0FF0), at: Offset.dr6)
        page.put(UInt64(0x2), at: Offset.rflags)
        page.put(state.rip, at: Offset.rip)
        page.put(state.gPAT, at: Offset.gPAT)
        page.put(state.rdx, at: Offset.rdx)
        page.put(state.sevFeatures, at: Offset.sevFeatures)
        page.put(UInt64(0x1), at: Offset.xcr0)
        page.put(state.mxcsr, at: Offset.mxcsr)
        page.put(state.x87FCW, at: Offset.x87FCW)
        return page.bytes
    }

    /// The real-mode reset VMSA of a vCPU that starts at `eip` (``bspEIP`` or the APs' reset EIP).
    /// `RDX` holds the CPUID signature under QEMU; EC2 and GCE put 0x600 there, clear MXCSR and FCW,
    /// and use slightly different segment attributes (EC2) or PAT (GCE).
    public static func resetPage(eip: UInt32, sevFeatures: UInt64, vcpuSignature: UInt32, vmm: VMMType) -> [UInt8] {
        var cs: UInt16 = 0x9B, ss: UInt16 = 0x93, tr: UInt16 = 0x8B
        var rdx = UInt64(vcpuSignature), mxcsr: UInt32 = 0x1F80, fcw: UInt16 = 0x37F, pat = defaultPAT
        switch vmm {
        case .qemu:
            break
        case .ec2:
            if eip == bspEIP { cs = 0x9A }
            ss = 0x92
            tr = 0x83
            (rdx, mxcsr, fcw) = (0x600, 0, 0)
        case .gce:
            pat = 0x0007_0106
            (rdx, mxcsr, fcw) = (0x600, 0, 0)
        }
        let data = Segment(selector: 0, attributes: 0x93, limit: 0xFFFF)
        let segments: [(Int, Segment)] = [
            (Offset.es, data), (Offset.cs, Segment(selector: 0xF000, attributes: cs, limit: 0xFFFF, base: UInt64(eip & 0xFFFF_0000))),
            (Offset.ss, Segment(selector: 0, attributes: ss, limit: 0xFFFF)), (Offset.ds, data), (Offset.fs, data), (Offset.gs, data),
            (Offset.gdtr, Segment(selector: 0, attributes: 0, limit: 0xFFFF)), (Offset.ldtr, Segment(selector: 0, attributes: 0x82, limit: 0xFFFF)),
            (Offset.idtr, Segment(selector: 0, attributes: 0, limit: 0xFFFF)), (Offset.tr, Segment(selector: 0, attributes: tr, limit: 0xFFFF)),
        ]
        return page(
            State(segments: segments, cr0: 0x10, rip: UInt64(eip & 0xFFFF), gPAT: pat, rdx: rdx, sevFeatures: sevFeatures, mxcsr: mxcsr, x87FCW: fcw))
    }

    /// The VMSA of every vCPU under Coconut-SVSM (QEMU only): protected mode with flat segments,
    /// starting at the SVSM entry point, SEV_FEATURES = SNPActive. Like sev-snp-measure 0.0.13, FCW
    /// is left 0 (its SVSM save area names the field `fcw`, which ctypes does not map to `x87_fcw`).
    public static func svsmPage(entry: UInt64, vcpuSignature: UInt32) -> [UInt8] {
        let flat = Segment(selector: 16, attributes: 0xC93, limit: 0xFFFF_FFFF)
        let segments: [(Int, Segment)] = [
            (Offset.es, flat), (Offset.cs, Segment(selector: 8, attributes: 0xC9B, limit: 0xFFFF_FFFF)), (Offset.ss, flat), (Offset.ds, flat),
            (Offset.fs, flat), (Offset.gs, Segment(selector: 0, attributes: 0x93, limit: 0xFFFF)),
            (Offset.gdtr, Segment(selector: 0, attributes: 0, limit: 0xFFFF)), (Offset.ldtr, Segment(selector: 0, attributes: 0x82, limit: 0xFFFF)),
            (Offset.idtr, Segment(selector: 0, attributes: 0, limit: 0xFFFF)), (Offset.tr, Segment(selector: 0, attributes: 0x8B, limit: 0xFFFF)),
        ]
        return page(State(segments: segments, cr0: 0x11, rip: entry, rdx: UInt64(vcpuSignature), sevFeatures: 0x1, mxcsr: 0x1F80, x87FCW: 0))
    }
}

/// Which VMM launches the guest: its initial register state differs slightly (see ``VMSA``).
public enum VMMType: String, Sendable, Hashable, CaseIterable {
    case qemu = "QEMU"
    case ec2
    case gce
}
