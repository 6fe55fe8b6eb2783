import GuestGuardPlatform

/// CPUID answers from a table, as a hypervisor would choose them. Unlisted leaves return zeros.
public struct ScriptedCPUID: CPUIDReader {
    public var leaves: [UInt32: CPUIDResult]
    public init(_ leaves: [UInt32: CPUIDResult] = [:]) { self.leaves = leaves }

    public func cpuid(leaf: UInt32, subleaf: UInt32) -> CPUIDResult? {
        leaves[leaf] ?? CPUIDResult(eax: 0, ebx: 0, ecx: 0, edx: 0)
    }

    /// Registers spelling a 12-byte vendor string in EBX, EDX, ECX order (leaf 0).
    public static func vendorLeaf(_ vendor: String, maxLeaf: UInt32 = 0x10) -> CPUIDResult {
        let words = words(vendor)
        return CPUIDResult(eax: maxLeaf, ebx: words[0], ecx: words[2], edx: words[1])
    }

    /// Registers spelling a 12-byte vendor string in EBX, ECX, EDX order (leaf 0x4000_0000).
    public static func hypervisorLeaf(_ vendor: String) -> CPUIDResult {
        let words = words(vendor)
        return CPUIDResult(eax: 0x4000_0001, ebx: words[0], ecx: words[1], edx: words[2])
    }

    static func words(_ text: String) -> [UInt32] {
        var bytes = Array(text.utf8.prefix(12))
        bytes += [UInt8](repeating: 0, count: 12 - bytes.count)
        var result: [UInt32] = []
        for index in 0..<3 {
            var word: UInt32 = 0
            for byte in 0..<4 { word |= UInt32(bytes[index * 4 + byte]) << UInt32(byte * 8) }
            result.append(word)
        }
        return result
    }

    /// An AMD guest under KVM exposing leaf 0x8000001F with the given EAX.
    public static func amdGuest(memoryEncryptionEAX: UInt32?, hypervisor: String? = "KVMKVMKVM") -> ScriptedCPUID {
        var leaves: [UInt32: CPUIDResult] = [0: vendorLeaf("AuthenticAMD")]
        leaves[1] = CPUIDResult(eax: 0x00A0_0F11, ebx: 0, ecx: hypervisor == nil ? 0 : 1 << 31, edx: 0)
        if let hypervisor { leaves[0x4000_0000] = hypervisorLeaf(hypervisor) }
        if let eax = memoryEncryptionEAX {
            leaves[0x8000_0000] = CPUIDResult(eax: 0x8000_0021, ebx: 0, ecx: 0, edx: 0)
            leaves[0x8000_001F] = CPUIDResult(eax: eax, ebx: 0x0000_0173, ecx: 0, edx: 0)
        } else {
            leaves[0x8000_0000] = CPUIDResult(eax: 0x8000_001E, ebx: 0, ecx: 0, edx: 0)
        }
        return ScriptedCPUID(leaves)
    }
}

/// MSR answers from a table, or a scripted error (missing device, EACCES, #GP).
public struct ScriptedMSR: MSRReader {
    public enum Answer: Sendable {
        case value(UInt64)
        case error(Int32)
    }
    public var answers: [UInt32: Answer]
    public var fallback: Answer
    public init(_ answers: [UInt32: Answer] = [:], fallback: Answer = .error(ErrnoName.EIO)) {
        self.answers = answers
        self.fallback = fallback
    }

    public func readMSR(_ msr: UInt32, cpu: Int) throws(PlatformError) -> UInt64 {
        switch answers[msr] ?? fallback {
        case .value(let value): return value
        case .error(let code): throw PlatformError(operation: "open", target: "/dev/cpu/\(cpu)/msr", errno: code)
        }
    }
}

/// Kernel log lines from a list, or a scripted error.
public struct ScriptedKernelLog: KernelLog {
    public var result: Result<[String], PlatformError>
    public init(_ lines: [String]) { result = .success(lines) }
    public init(error: Int32) { result = .failure(PlatformError(operation: "klogctl(SYSLOG_ACTION_READ_ALL)", errno: error)) }
    public func lines() throws(PlatformError) -> [String] { try result.get() }
}
