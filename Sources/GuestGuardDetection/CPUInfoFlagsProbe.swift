import CanonicalJSON
import GuestGuardPlatform
import SNPABI

/// `/proc/cpuinfo` flags: "sev", "sev_es", "sev_snp", "svsm", "tdx_guest" and "hypervisor".
/// They mirror CPUID as the kernel filtered it, so they are hypervisor-reported.
public struct CPUInfoFlagsProbe: EncryptionSignalProbe {
    public let source = SignalSource.cpuinfoFlags
    public init() {}

    public func read(_ environment: DetectionEnvironment) -> SignalReading {
        let text: String
        do { text = try environment.files.readText("/proc/cpuinfo", limit: 8 << 20) } catch {
            return SignalReading(source: source, trust: .hypervisorReported, status: .unavailable, summary: "cannot read /proc/cpuinfo: \(error)")
        }
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":")
        else {
            return SignalReading(source: source, trust: .hypervisorReported, status: .malformed,
                                 summary: "/proc/cpuinfo has no \"flags\" line")
        }
        let flags = Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
        let interesting = ["sme", "sev", "sev_es", "sev_snp", "svsm", "debug_swap", "tdx_guest", "hypervisor"].filter { flags.contains($0) }
        let values: [String: JSONValue] = ["flags": .array(interesting.map { .string($0) })]
        if flags.contains("tdx_guest") {
            return SignalReading(source: source, trust: .hypervisorReported, status: .observed,
                                 summary: "flag tdx_guest: an Intel TDX guest", values: values, otherTEE: "intel-tdx")
        }
        // Guest kernels do not reliably show these flags (early_detect_mem_encrypt() may clear them):
        // their presence is a claim, their absence says nothing.
        let mode: MemoryEncryptionMode? = flags.contains("sev_snp") ? .sevSNP : flags.contains("sev_es") ? .sevES : flags.contains("sev") ? .sev : nil
        let shown = interesting.filter { $0 != "hypervisor" }
        return SignalReading(source: source, trust: .hypervisorReported, status: .observed, impliedMode: mode,
                             summary: shown.isEmpty ? "no SEV flag" : "flags: \(shown.joined(separator: " "))",
                             values: values, svsm: flags.contains("svsm") ? true : nil)
    }
}
