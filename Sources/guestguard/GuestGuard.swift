import ArgumentParser
import CanonicalJSON
import GuestGuardBoot

/// `guestguard`: the guest agent. Subcommands live in `GuestGuard+<Name>.swift`.
@main
struct GuestGuard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guestguard",
        abstract: "Keeps an AMD SEV / SEV-ES / SEV-SNP guest safe from its hypervisor, and says how it stands.",
        version: GuestGuardVersion.string,
        subcommands: [Detect.self, Status.self, Report.self, Verify.self, GetResource.self, Enroll.self, Format.self, Unlock.self, BootUnlock.self,
                      Serve.self, Simulator.self, Deny.self, Measure.self, Fetch.self]
    )
}

/// Writes a JSON document (indented, canonical member order) or text to standard output.
enum Output {
    static func json(_ value: JSONValue) throws {
        do { print(try value.prettyText()) } catch {
            throw ValidationError("internal error: \(error)")
        }
    }
}
