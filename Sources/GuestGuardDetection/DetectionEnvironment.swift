import GuestGuardPlatform

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
