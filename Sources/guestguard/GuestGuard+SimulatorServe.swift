import ArgumentParser
import GuestGuardBoot
import GuestGuardLinux
import GuestGuardPlatform
import SNPABI
import SNPSimulator

extension GuestGuard.Simulator {
    /// `guestguard simulator serve`: the simulated secure processor where the real one is, outside
    /// the guest. It signs reports whose MEASUREMENT is computed, with `guestguard measure`'s code and
    /// options, from the blobs the harness gives QEMU; the guest asks over a virtio-serial port.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the SIMULATED secure processor in DIR on a unix socket (QEMU virtio-serial), measuring the launch's blobs.",
            discussion: """
                TEST ONLY: there is no AMD secure processor under QEMU TCG. The MEASUREMENT of every report is \
                computed as `guestguard measure` computes it from the launch options given here (the same \
                options: --mode, --vcpus, --vcpu-type, --ovmf, --kernel, --initrd, --append, …), so a change \
                to the kernel, the initrd, the command line or the vCPU count changes what the guest can \
                present. Wire the socket to the guest with: -device virtio-serial \
                -chardev socket,id=ggsim,path=SOCKET,reconnect=1 \
                -device virtserialport,chardev=ggsim,name=org.guestguard.snp-sim; the guest names \
                /dev/virtio-ports/org.guestguard.snp-sim in [test-only] simulator-port. The simulator's \
                private keys stay in DIR, on the host. Protocol: docs/simulator-port.md.
                """
        )

        @Argument(help: "The simulator directory (`guestguard simulator init DIR`).")
        var directory: String

        @Option(help: ArgumentHelp("Unix socket to listen on (replaced if it exists; mode 0600).", valueName: "PATH"))
        var socket: String

        @OptionGroup(title: "Launch (the options of guestguard measure)")
        var launch: GuestGuard.Measure

        func run() async throws {
            let loaded: SimulatedSecureProcessor
            do {
                loaded = try SimulatedSecureProcessor(directory: CLIFiles.absolute(directory), files: HostFileSystem(), random: GetrandomSource())
            } catch {
                throw CLIError(message: "\(directory): cannot load the simulated secure processor", causes: [error.description])
            }
            let (_, measurement) = try await launch.measurement()
            let processor = try loaded.measuring(measurement)
            let server = SimulatorPortServer { reportData, vmpl in processor.portAnswer(reportData: reportData, vmpl: vmpl) }
            Self.say("simulated secure processor (NOT AMD) measuring \(launch.mode) launch: \(HexArgument.encode(measurement))")
            Self.say("simulator listening on \(socket)")
            do {
                try server.run(path: CLIFiles.absolute(socket)) { Self.say("simulator: \($0)") }
            } catch {
                throw CLIError(message: "--socket \(socket)", causes: [error.description])
            }
        }

        /// Unbuffered, so a harness reading the pipe sees each line at once.
        static func say(_ text: String) {
            OutputDescriptor.standardOutput.writeBestEffort(text + "\n")
        }
    }
}
