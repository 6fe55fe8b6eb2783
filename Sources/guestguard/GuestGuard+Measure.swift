import ArgumentParser
import CanonicalJSON
import GuestGuardBoot
import SNPABI
import SNPMeasure

extension GuestGuard {
    /// `guestguard measure`: the expected launch MEASUREMENT of a guest from the exact firmware,
    /// kernel, initrd and command line it will boot, with the options of sev-snp-measure 0.0.13.
    struct Measure: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compute the expected SEV / SEV-ES / SEV-SNP launch measurement of a guest (as sev-snp-measure 0.0.13).",
            discussion: """
                Pin the result in the broker's release policy (docs/measured-boot.md). With --kernel the \
                firmware must carry the kernel hash table (an OVMF built from OvmfPkg/AmdSev/AmdSevX64.dsc, \
                launched by QEMU with kernel-hashes=on): the measurement then covers the kernel, the initrd \
                (empty when absent) and the command line (the --append text plus a NUL). --json prints the \
                guestguard.measure/v1 document with every input's SHA-256 (docs/schemas.md).
                """
        )

        @Option(help: ArgumentHelp("Guest mode: \(GuestMode.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "MODE"))
        var mode: String

        @Option(help: ArgumentHelp("Number of guest vCPUs (not in sev mode).", valueName: "N"))
        var vcpus: Int?

        @Option(help: ArgumentHelp("Type of guest vCPU: QEMU's -cpu model (\(VCPUType.names.joined(separator: ", "))).", valueName: "CPUTYPE"))
        var vcpuType: String?

        @Option(help: ArgumentHelp("Guest vCPU signature (CPUID Fn0000_0001_EAX), e.g. 0xa00f11.", valueName: "VALUE"))
        var vcpuSig: String?

        @Option(help: ArgumentHelp("Guest vCPU family (with --vcpu-model and --vcpu-stepping).", valueName: "FAMILY"))
        var vcpuFamily: Int?

        @Option(help: ArgumentHelp("Guest vCPU model.", valueName: "MODEL"))
        var vcpuModel: Int?

        @Option(help: ArgumentHelp("Guest vCPU stepping.", valueName: "STEPPING"))
        var vcpuStepping: Int?

        @Option(help: ArgumentHelp("Type of guest VMM (QEMU, ec2, gce).", valueName: "VMMTYPE"))
        var vmmType: String = "QEMU"

        @Option(help: ArgumentHelp("OVMF firmware image.", valueName: "PATH"))
        var ovmf: String

        @Option(help: ArgumentHelp("Kernel image booted with -kernel (measured direct boot).", valueName: "PATH"))
        var kernel: String?

        @Option(help: ArgumentHelp("Initrd booted with -initrd (needs --kernel).", valueName: "PATH"))
        var initrd: String?

        @Option(help: ArgumentHelp("Kernel command line given with -append (needs --kernel).", valueName: "CMDLINE"))
        var append: String?

        @Option(help: ArgumentHelp("SEV_FEATURES of the SNP VMSAs (0x1 is what host kernels >= 6.8 set).", valueName: "VALUE"))
        var guestFeatures: String = "0x1"

        @Option(help: ArgumentHelp("Output format: hex or base64.", valueName: "FORMAT"))
        var outputFormat: String = "hex"

        @Option(help: ArgumentHelp("Precalculated SNP digest of the OVMF image (from --mode snp:ovmf-hash), hex.", valueName: "HASH"))
        var snpOvmfHash: String?

        @Option(help: ArgumentHelp("Coconut-SVSM binary (snp:svsm mode).", valueName: "PATH"))
        var svsm: String?

        @Option(help: ArgumentHelp("Size of the OVMF_VARS flash in bytes (snp:svsm mode).", valueName: "SIZE"))
        var varsSize: Int?

        @Option(help: ArgumentHelp("OVMF_VARS file, whose size is used (snp:svsm mode).", valueName: "PATH"))
        var varsFile: String?

        @Flag(name: .shortAndLong, help: "Name the mode before the result, as sev-snp-measure -v does.")
        var verbose = false

        @Flag(help: "Print the guestguard.measure/v1 JSON document (inputs' SHA-256 and the result).")
        var json = false

        func validate() throws {
            guard let guestMode = GuestMode(rawValue: mode) else {
                throw ValidationError("--mode: \(String(reflecting: mode)) is not one of \(GuestMode.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard ["hex", "base64"].contains(outputFormat) else { throw ValidationError("--output-format: \(String(reflecting: outputFormat)) is not hex or base64") }
            if guestMode == .snpOVMFHash { return }
            if initrd != nil && kernel == nil { throw ValidationError("--kernel required when using --initrd") }
            if append != nil && kernel == nil { throw ValidationError("--kernel required when using --append") }
            if guestMode != .sev && vcpus == nil { throw ValidationError("missing --vcpus N in guest mode '\(mode)'") }
            guard VMMType(rawValue: vmmType) != nil else { throw ValidationError("unknown VMM type '\(vmmType)' (QEMU, ec2 or gce)") }
            let signatureSources = [vcpuType != nil, vcpuSig != nil, vcpuFamily != nil].filter { $0 }.count
            if signatureSources > 1 { throw ValidationError("give only one of --vcpu-type, --vcpu-sig, --vcpu-family") }
            if vcpuFamily != nil && (vcpuModel == nil || vcpuStepping == nil) {
                throw ValidationError("--vcpu-family needs --vcpu-model and --vcpu-stepping")
            }
            if (vcpuModel != nil || vcpuStepping != nil) && vcpuFamily == nil { throw ValidationError("--vcpu-model and --vcpu-stepping need --vcpu-family") }
            if let vcpuType, VCPUType.signature(named: vcpuType) == nil {
                throw ValidationError("--vcpu-type: \(String(reflecting: vcpuType)) is not one of \(VCPUType.names.joined(separator: ", "))")
            }
            if guestMode != .sev && vmmType == VMMType.qemu.rawValue && signatureSources == 0 {
                throw ValidationError("missing --vcpu-type or --vcpu-sig or --vcpu-family in guest mode '\(mode)'")
            }
            if varsSize != nil && varsFile != nil { throw ValidationError("give --vars-size or --vars-file, not both") }
            if let varsSize, varsSize <= 0 { throw ValidationError("--vars-size: \(varsSize) is not a positive number of bytes") }
            if guestMode == .snpSVSM {
                if svsm == nil { throw ValidationError("snp:svsm mode requires --svsm PATH") }
                if varsSize == nil && varsFile == nil { throw ValidationError("snp:svsm mode requires --vars-size or --vars-file") }
                if kernel != nil { throw ValidationError("snp:svsm mode does not measure --kernel, --initrd or --append; leave them out") }
            } else if svsm != nil || varsSize != nil || varsFile != nil {
                throw ValidationError("--svsm, --vars-size and --vars-file belong to --mode snp:svsm")
            }
            if snpOvmfHash != nil && guestMode != .snp { throw ValidationError("--snp-ovmf-hash only works with --mode snp") }
        }

        func run() async throws {
            let guestMode = GuestMode(rawValue: mode)!
            let (inputs, result) = try await measurement()
            let text = guestMode == .snpOVMFHash || outputFormat == "hex" ? Hex.encode(result) : Base64.encode(result)
            if json {
                try Output.json(inputs.json(self, mode: guestMode, measurement: result, text: text))
            } else if verbose && guestMode != .snpOVMFHash {
                print("Calculated \(Self.modeName(guestMode)) guest measurement: \(text)")
            } else {
                print(text)
            }
        }

        /// The files read and the launch measurement they give (also `simulator serve`'s, from the same options).
        func measurement() async throws -> (inputs: MeasureInputs, measurement: [UInt8]) {
            let guestMode = GuestMode(rawValue: mode)!
            let inputs = try await MeasureInputs.load(self, mode: guestMode)
            do {
                return (inputs, try LaunchMeasurement.compute(try inputs.configuration(self, mode: guestMode), hashing: LibcryptoLaunchDigests()))
            } catch {
                throw CLIError(message: "cannot compute the launch measurement", causes: ["\(error)"])
            }
        }

        /// The peer's `SevMode` names, for `-v`.
        static func modeName(_ mode: GuestMode) -> String {
            switch mode {
            case .sev: "SEV"
            case .seves: "SEV_ES"
            case .snp, .snpOVMFHash: "SEV_SNP"
            case .snpSVSM: "SEV_SNP_SVSM"
            }
        }
    }
}
