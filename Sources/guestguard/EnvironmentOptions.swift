import ArgumentParser
import GuestGuardCore
import GuestGuardDetection
import GuestGuardPosture
import GuestGuardLinux

/// Options shared by commands that read the system.
struct EnvironmentOptions: ParsableArguments {
    @Option(name: .customLong("root"), help: ArgumentHelp("Read /proc, /sys and /dev under DIR instead of / (offline inspection of a captured system; DIR/cpuid.txt replaces the CPUID instruction, DIR/var/log/dmesg the kernel log).", visibility: .hidden))
    var root: String = ""

    /// The only place the real Linux implementations are wired.
    func detectionEnvironment() throws -> DetectionEnvironment {
        var cpuid: any CPUIDReader = X86CPUIDReader()
        let files = HostFileSystem(root: root)
        if !root.isEmpty, files.exists("/cpuid.txt") {
            do { cpuid = try CPUIDDump(parsing: try files.readText("/cpuid.txt")) } catch {
                throw ValidationError("\(root)/cpuid.txt: \(error)")
            }
        }
        return DetectionEnvironment(
            cpuid: cpuid,
            msr: DevCPUMSRReader(root: root),
            files: HostFileSystem(root: root),
            kernelLog: root.isEmpty ? KlogctlKernelLog() as any KernelLog : FileKernelLog(files: HostFileSystem(root: root))
        )
    }
}

import GuestGuardPlatform

/// Kernel log lines from `/dev/kmsg`-style text at `/var/log/dmesg` under a root (offline inspection).
struct FileKernelLog: KernelLog {
    let files: HostFileSystem
    func lines() throws(PlatformError) -> [String] {
        try files.readText("/var/log/dmesg", limit: 16 << 20).split(separator: "\n").map(String.init)
    }
}
