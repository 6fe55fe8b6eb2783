/// The four registers CPUID returns.
public struct CPUIDResult: Sendable, Hashable {
    public let eax: UInt32
    public let ebx: UInt32
    public let ecx: UInt32
    public let edx: UInt32
    public init(eax: UInt32, ebx: UInt32, ecx: UInt32, edx: UInt32) {
        self.eax = eax
        self.ebx = ebx
        self.ecx = ecx
        self.edx = edx
    }

    /// The 12-byte vendor string held in EBX, EDX, ECX (leaf 0) or EBX, ECX, EDX (leaf 0x4000_0000).
    public static func vendorString(_ registers: [UInt32]) -> String {
        var bytes: [UInt8] = []
        for register in registers {
            for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8((register >> UInt32(shift)) & 0xFF)) }
        }
        return String(decoding: bytes.filter { $0 != 0 }, as: UTF8.self)
    }
}

/// Executes CPUID. In a guest every answer is hypervisor-reported (see `MemoryEncryptionCapabilities`).
public protocol CPUIDReader: Sendable {
    /// CPUID with EAX=`leaf`, ECX=`subleaf`; nil on a CPU without the instruction.
    func cpuid(leaf: UInt32, subleaf: UInt32) -> CPUIDResult?
}
