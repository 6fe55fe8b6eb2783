import CGuestGuardLinux
import GuestGuardPlatform

/// Executes the `cpuid` instruction. The corresponding C function is `__cpuid_count` (`<cpuid.h>`),
/// wrapped as `guestguard_cpuid`.
public struct X86CPUIDReader: CPUIDReader {
    public init() {}

    public func cpuid(leaf: UInt32, subleaf: UInt32) -> CPUIDResult? {
        var registers = guestguard_cpuid_regs()
        guard guestguard_cpuid(leaf, subleaf, &registers) == 0 else { return nil }
        return CPUIDResult(eax: registers.eax, ebx: registers.ebx, ecx: registers.ecx, edx: registers.edx)
    }
}
