#if canImport(Glibc)
import Glibc
#endif
import GuestGuardBoot

/// `guestguard-boot`: the initramfs' executable. Only `boot-unlock` (`guestguard-boot [boot-unlock] --config
/// FILE …`), with the options and code of `guestguard boot-unlock` (GuestGuardBoot); no server, no deny engine,
/// no tenant-side verifier, no simulator, no ArgumentParser. The root file system keeps `guestguard`.
@main
enum GuestGuardBootMain {
    static func main() {
        let program = "guestguard-boot"
        let command: BootUnlockCommand
        do {
            switch try BootUnlockCommand.parse(Array(CommandLine.arguments.dropFirst())) {
            case .help: print(BootUnlockCommand.usage(program: program)); exit(0)
            case .version: print(GuestGuardVersion.string); exit(0)
            case .run(let parsed): command = parsed
            }
        } catch {
            FileHandleStandardError.write("Error: \(error)\nUsage: \(program) [boot-unlock] [<options>]\n  See '\(program) --help' for more information.\n")
            exit(64)
        }
        do {
            try command.run(loadSimulator: nil)
        } catch is BootUnlockCommand.PoweredOff {
            exit(1)
        } catch {
            FileHandleStandardError.write("Error: \(error)\n")
            exit(1)
        }
        exit(0)
    }
}
