import ArgumentParser
import GuestGuardLinux
import KeyBrokerServer
import SNPPolicy

extension GuestGuardBroker {
    struct Policy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set or show a resource's release policy (the `guestguard verify --policy` format, docs/policy.md).",
            subcommands: [SetPolicy.self, Show.self, AllowMeasurement.self, RevokeMeasurement.self]
        )

        /// `policy set` (not named `Set`: that would hide Swift's `Set` in this scope).
        struct SetPolicy: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "set",
                abstract: "Validate FILE and make it RESOURCE's policy.",
                discussion: "A policy without [report.minimum-tcb] is refused unless it says minimum-tcb = \"any\" (docs/policy.md).")
            @Argument(help: "REPO/TYPE/TAG") var resource: String
            @Argument(help: "Policy file (TOML).") var file: String
            @OptionGroup var data: DataOptions

            func run() async throws {
                let id = try DataOptions.resource(resource)
                let text: String
                do { text = try HostFileSystem().readText(HostFileSystem.absolutePath(file)) } catch {
                    throw BrokerCLIError(message: "cannot read \(file)", causes: ["\(error)"])
                }
                try await data.withStorage { storage in
                    do { try await storage.storePolicy(text, for: id) } catch { throw BrokerCLIError(message: "policy refused", causes: ["\(error)"]) }
                }
                print("policy for \(id) set")
                if let open = try? BrokerStore.parsePolicy(text, for: id).unconstrained, !open.isEmpty {
                    print("unconstrained (accepted whatever the report says):")
                    open.forEach { print("  \($0)") }
                }
            }
        }

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Print RESOURCE's policy with every default spelled out, then (as # comments) what it leaves unconstrained.")
            @Argument(help: "REPO/TYPE/TAG") var resource: String
            @OptionGroup var data: DataOptions

            func run() async throws {
                let id = try DataOptions.resource(resource)
                let policy: SNPVerificationPolicy = try await data.withStorage { storage in
                    do { return try BrokerStore.parsePolicy(try await storage.policyText(for: id), for: id) } catch {
                        throw BrokerCLIError(message: "no policy to show", causes: ["\(error)"])
                    }
                }
                print(policy.tomlText(), terminator: "")
                // Comments, so the output stays a policy file that `policy set` accepts.
                let open = policy.unconstrained
                print("")
                print(open.isEmpty ? "# unconstrained: nothing" : "# unconstrained (accepted whatever the report says):")
                open.forEach { print("#   \($0)") }
                if !policy.implicitlyUnconstrained.isEmpty {
                    print("# warning: stored before `policy set` required it; `policy set` now refuses: \(policy.implicitlyUnconstrained.joined(separator: "; "))")
                }
            }
        }
    }
}
