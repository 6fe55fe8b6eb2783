import GuestGuardPlatform
import SNPABI

/// Reads every source and decides the mode (`guestguard detect`).
///
/// Rule: the mode is what the most trusted source that positively stated one says
/// (hardware-enforced > kernel-reported > hypervisor-reported; SEV_STATUS beats CPUID among
/// hypervisor-reported ones). Every source that contradicts a more trusted one is listed as an
/// inconsistency. Absence of a driver proves nothing and never contradicts. Nothing here is proof
/// for a remote party: only a verified attestation report is (docs/snp-abi.md §1.3).
public struct EncryptionModeDetector: Sendable {
    public let probes: [any EncryptionSignalProbe]

    /// Every source, in decision-relevant order.
    public static let allProbes: [any EncryptionSignalProbe] = [
        CPUIDProbe(), SEVStatusProbe(), SEVGuestDeviceProbe.platformDevice, SEVGuestDeviceProbe.characterDevice,
        ConfigFSTSMProbe(), CPUInfoFlagsProbe(), KernelLogProbe(), CocoSecretsProbe(), SEVVMPLProbe(),
    ]

    public init(probes: [any EncryptionSignalProbe] = EncryptionModeDetector.allProbes) {
        self.probes = probes
    }

    public func detect(_ environment: DetectionEnvironment) -> DetectionReport {
        decide(probes.map { $0.read(environment) })
    }

    /// The decision, separate from I/O so it can be tested on its own.
    public func decide(_ readings: [SignalReading]) -> DetectionReport {
        let stating = readings.filter { $0.status == .observed && $0.impliedMode != nil }
        let decider = stating.max { Self.weight($0) < Self.weight($1) }
        let mode = decider?.impliedMode ?? .none

        var inconsistencies: [String] = []
        if let decider {
            for reading in stating where reading.source != decider.source {
                guard let other = reading.impliedMode, Self.contradicts(reading, other, decider: decider, mode: mode) else { continue }
                inconsistencies.append(
                    "inconsistent: \(reading.trust.rawValue) \(reading.source.label) contradicts \(decider.source.label) "
                        + "(\(reading.source.label) says \(other.displayName), \(decider.source.label) says \(mode.displayName))")
            }
        }
        for reading in readings where reading.status == .malformed {
            inconsistencies.append("inconsistent: \(reading.source.label) is malformed: \(reading.summary)")
        }

        var notes: [String] = []
        if let msr = readings.first(where: { $0.source == .sevStatusMSR }), msr.status == .unavailable {
            notes.append("SEV_STATUS not read: \(msr.summary); the mode rests on weaker evidence")
        }
        if let decider, decider.trust == .hypervisorReported, mode != .none {
            notes.append("only hypervisor-reported sources claim \(mode.displayName): unconfirmed")
        }
        if decider == nil {
            notes.append("no source stated a mode: treated as none")
        }

        let otherTEE = readings.compactMap(\.otherTEE).first
        if let otherTEE { notes.append("\(otherTEE) guest: not supported by guestguard (AMD SEV, SEV-ES and SEV-SNP only)") }

        return DetectionReport(
            mode: mode, basis: decider?.trust, decidingSource: decider?.source,
            vTOM: Self.strongest(readings, \.vTOM), svsm: Self.strongest(readings, \.svsm),
            otherTEE: otherTEE, inconsistencies: inconsistencies, notes: notes, readings: readings)
    }

    /// Ranking for the decision: trust first, then SEV_STATUS over CPUID-derived sources.
    static func weight(_ reading: SignalReading) -> Int {
        reading.trust.rank * 10 + (reading.source == .sevStatusMSR ? 1 : 0)
    }

    /// CPUID states capability: advertising more than is active (an SEV-ES guest on an SNP host)
    /// is normal; advertising something while the decider says none, or missing the active
    /// mode, is a contradiction. Other sources state the active mode and must match.
    static func contradicts(_ reading: SignalReading, _ claim: MemoryEncryptionMode, decider: SignalReading, mode: MemoryEncryptionMode) -> Bool {
        switch reading.source {
        case .cpuid, .cpuinfoFlags:
            return mode == .none ? claim != .none : claim < mode
        case .cocoSecrets:
            return mode == .none  // a launch secret means at least SEV
        default:
            return claim != mode
        }
    }

    /// The value of a boolean signal from the most trusted reading that states it.
    static func strongest(_ readings: [SignalReading], _ key: KeyPath<SignalReading, Bool?>) -> Bool? {
        readings.filter { $0.status == .observed && $0[keyPath: key] != nil }
            .max { weight($0) < weight($1) }?[keyPath: key]
    }
}

/// The OS touch points detection reads. The executable wires the Linux implementations; tests
/// wire a temporary file tree and scripted CPUID/MSR answers.
public struct DetectionEnvironment: Sendable {
    public let cpuid: any CPUIDReader
    public let msr: any MSRReader
    public let files: any FileSystem
    public let kernelLog: any KernelLog

    public init(cpuid: any CPUIDReader, msr: any MSRReader, files: any FileSystem, kernelLog: any KernelLog) {
        self.cpuid = cpuid
        self.msr = msr
        self.files = files
        self.kernelLog = kernelLog
    }
}

/// One source of evidence about the encryption mode.
public protocol EncryptionSignalProbe: Sendable {
    var source: SignalSource { get }
    func read(_ environment: DetectionEnvironment) -> SignalReading
}
