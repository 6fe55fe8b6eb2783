import ArgumentParser
import GuestGuardLinux
import KeyBrokerServer

extension GuestGuardBroker {
    struct Policy: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set or show a resource's release policy (the `guestguard verify --policy` format, docs/policy.md).",
            subcommands: [Set.self, Show.self]
        )

        struct Set: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Validate FILE and make it RESOURCE's policy.")
            @Argument(help: "REPO/TYPE/TAG") var resource: String
            @Argument(help: "Policy file (TOML).") var file: String
            @OptionGroup var data: DataOptions

            func run() throws {
                let id = try DataOptions.resource(resource)
                let text: String
                do { text = try HostFileSystem().readText(HostFileSystem.absolutePath(file)) } catch {
                    throw BrokerCLIError(message: "cannot read \(file)", causes: ["\(error)"])
                }
                do { try data.store.storePolicy(text, for: id) } catch { throw BrokerCLIError(message: "policy refused", causes: [error.description]) }
                print("policy for \(id) set")
            }
        }

        struct Show: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Print RESOURCE's policy with every default spelled out.")
            @Argument(help: "REPO/TYPE/TAG") var resource: String
            @OptionGroup var data: DataOptions

            func run() throws {
                let id = try DataOptions.resource(resource)
                do { print(try data.store.policy(for: id).policy.tomlText(), terminator: "") } catch {
                    throw BrokerCLIError(message: "no policy to show", causes: [error.description])
                }
            }
        }
    }
}
