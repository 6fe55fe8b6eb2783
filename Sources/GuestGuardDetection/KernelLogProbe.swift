import CanonicalJSON
import GuestGuardPlatform
import SNPABI

/// The kernel's boot lines (`print_mem_encrypt_feature_info()`, `sev_show_status()`):
/// "Memory Encryption Features active: AMD SEV SEV-ES SEV-SNP" and "SEV: Status: SEV SEV-ES SEV-SNP vTom".
/// Older spellings ("AMD Memory Encryption Features active: SEV", "AMD Secure Encrypted
/// Virtualization (SEV) active") are recognised by their tokens, not their exact prefix.
public struct KernelLogProbe: EncryptionSignalProbe {
    public let source = SignalSource.kernelLog
    public init() {}

    public func read(_ environment: DetectionEnvironment) -> SignalReading {
        let lines: [String]
        do { lines = try environment.kernelLog.lines() } catch {
            let hint = error.errno == ErrnoName.EPERM ? " (kernel.dmesg_restrict=1: needs CAP_SYSLOG)" : ""
            return SignalReading(source: source, trust: .kernelReported, status: .unavailable, summary: "cannot read the kernel log: \(error)\(hint)")
        }
        var featureLine: String?
        var statusLine: String?
        for line in lines {
            if line.containsText("Memory Encryption Features active") || line.containsText("Secure Encrypted Virtualization (SEV) active") {
                featureLine = String(line.drop(while: { $0 == "[" || $0 == " " || $0.isNumber || $0 == "." || $0 == "]" }))
            } else if let range = line.firstRange(ofText: "SEV: Status:") {
                statusLine = String(line[range.upperBound...])
            }
        }
        guard let featureLine else {
            return SignalReading(source: source, trust: .kernelReported, status: .absent,
                                 summary: "no \"Memory Encryption Features active\" line (not encrypted, or the ring buffer wrapped)")
        }
        var values: [String: JSONValue] = ["line": .string(featureLine)]
        if featureLine.containsText("Intel TDX") {
            return SignalReading(source: source, trust: .kernelReported, status: .observed,
                                 summary: featureLine, values: values, otherTEE: "intel-tdx")
        }
        let tail = featureLine.split(separator: ":", maxSplits: 1).last.map(String.init) ?? featureLine
        let tokens = Set(tail.split(separator: " ").map(String.init))
        let mode: MemoryEncryptionMode
        if tokens.contains("SEV-SNP") { mode = .sevSNP }
        else if tokens.contains("SEV-ES") { mode = .sevES }
        else if tokens.contains("SEV") || featureLine.containsText("(SEV) active") { mode = .sev }
        else { mode = .none }  // "AMD SME": host memory encryption, not a guest mode
        var vTOM: Bool?
        if let statusLine {
            let statusTokens = Set(statusLine.split(separator: " ").map(String.init))
            values["status"] = .string(statusLine.trimmingWhitespace())
            vTOM = statusTokens.contains("vTom")
        }
        return SignalReading(source: source, trust: .kernelReported, status: .observed, impliedMode: mode,
                             summary: featureLine, values: values, vTOM: vTOM)
    }
}
