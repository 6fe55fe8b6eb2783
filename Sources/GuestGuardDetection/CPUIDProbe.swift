import CanonicalJSON
import GuestGuardPlatform
import SNPABI

/// CPUID: vendor (leaf 0), hypervisor bit (leaf 1 ECX[31]) and vendor (0x4000_0000), Intel TDX
/// (leaf 0x21 "IntelTDX    "), and AMD's Fn8000_001F. Always hypervisor-reported.
public struct CPUIDProbe: EncryptionSignalProbe {
    public let source = SignalSource.cpuid
    public init() {}

    public func read(_ environment: DetectionEnvironment) -> SignalReading {
        let cpu = environment.cpuid
        guard let leaf0 = cpu.cpuid(leaf: 0, subleaf: 0) else {
            return SignalReading(source: source, trust: .hypervisorReported, status: .unavailable,
                                 summary: "no CPUID instruction on this architecture")
        }
        let vendor = CPUIDResult.vendorString([leaf0.ebx, leaf0.edx, leaf0.ecx])
        var values: [String: JSONValue] = ["vendor": .string(vendor)]
        var hypervisor: String?
        if let leaf1 = cpu.cpuid(leaf: 1, subleaf: 0), leaf1.ecx & (1 << 31) != 0 {
            let hv = cpu.cpuid(leaf: 0x4000_0000, subleaf: 0)
            hypervisor = hv.map { CPUIDResult.vendorString([$0.ebx, $0.ecx, $0.edx]) } ?? ""
            values["hypervisor"] = .string(hypervisor!)
        } else {
            values["hypervisor"] = .null
        }

        if vendor == "GenuineIntel", leaf0.eax >= 0x21, let tdx = cpu.cpuid(leaf: 0x21, subleaf: 0),
           CPUIDResult.vendorString([tdx.ebx, tdx.edx, tdx.ecx]) == "IntelTDX"
        {
            return SignalReading(source: source, trust: .hypervisorReported, status: .observed,
                                 summary: "Intel TDX guest (CPUID leaf 0x21 \"IntelTDX\")", values: values, otherTEE: "intel-tdx")
        }
        guard vendor == "AuthenticAMD" || vendor == "HygonGenuine" else {
            return SignalReading(source: source, trust: .hypervisorReported, status: .absent,
                                 summary: "vendor \(vendor.isEmpty ? "unknown" : vendor): no AMD memory encryption", values: values)
        }
        guard let maxExtended = cpu.cpuid(leaf: 0x8000_0000, subleaf: 0), maxExtended.eax >= MemoryEncryptionCapabilities.leaf,
              let leaf = cpu.cpuid(leaf: MemoryEncryptionCapabilities.leaf, subleaf: 0)
        else {
            return SignalReading(source: source, trust: .hypervisorReported, status: .absent,
                                 summary: "leaf 0x8000001F not offered (hypervisor hides it, or the CPU has no SME/SEV)", values: values)
        }
        let caps = MemoryEncryptionCapabilities(eax: leaf.eax, ebx: leaf.ebx, ecx: leaf.ecx, edx: leaf.edx)
        values["eax"] = .string(hex32(leaf.eax))
        values["ebx"] = .string(hex32(leaf.ebx))
        values["features"] = .array(caps.featureNames.map { .string($0) })
        values["cBitPosition"] = .integer(Int64(caps.cBitPosition))
        let advertised = caps.advertisedMode
        guard hypervisor != nil else {
            // No hypervisor bit: these are the host CPU's capabilities, not a statement about a guest.
            return SignalReading(source: source, trust: .hypervisorReported, status: .observed,
                                 summary: "no hypervisor bit: host CPU capabilities (\(caps.featureNames.joined(separator: " "))), not a guest mode",
                                 values: values)
        }
        let summary = advertised == .none
            ? "advertises no SEV feature (EAX \(hex32(leaf.eax)))"
            : "advertises \(caps.featureNames.joined(separator: " ")) (EAX \(hex32(leaf.eax))): a capability, not proof it is active"
        return SignalReading(source: source, trust: .hypervisorReported, status: .observed,
                             impliedMode: advertised, summary: summary, values: values,
                             svsm: caps.svsmPresent ? true : nil)
    }
}

func hex32(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}

func hex64(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 16 - digits.count)) + digits
}
