import ArgumentParser

/// `guestguard-broker`: the tenant's key broker (Trustee KBS protocol 0.4.0).
@main
struct GuestGuardBroker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guestguard-broker",
        abstract: "Release keys to confidential VMs whose AMD SEV-SNP evidence satisfies a policy (Trustee KBS 0.4.0 on the wire).",
        version: "0.1.0",
        subcommands: [Serve.self, Key.self, Policy.self, CRL.self, Migrate.self]
    )
}
