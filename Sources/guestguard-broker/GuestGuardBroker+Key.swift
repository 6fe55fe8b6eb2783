import ArgumentParser
import GuestGuardLinux
import GuestGuardPlatform
import KeyBrokerServer

extension GuestGuardBroker {
    struct Key: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Manage resource keys (stored with mode 0600, written atomically; never printed).",
            subcommands: [Create.self, Import.self, List.self, Delete.self]
        )

        /// Makes DATA/key-id.secret with the first key, so replicas serving the directory read-only find it.
        static func ensureKeyIDSecret(_ data: DataOptions) throws {
            do { _ = try KeyFingerprinter.loadOrCreate(store: data.store, random: GetrandomSource()) } catch {
                throw BrokerCLIError(message: "cannot set up the key-id secret", causes: [error.description])
            }
        }

        struct Create: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Create a random key for RESOURCE.")
            @Argument(help: "REPO/TYPE/TAG") var resource: String
            @Option(help: "Key length in bytes.") var bytes: Int = 64
            @OptionGroup var data: DataOptions

            func run() throws {
                let id = try DataOptions.resource(resource)
                guard BrokerStore.keySizeRange.contains(bytes) else { throw ValidationError("--bytes must be \(BrokerStore.keySizeRange)") }
                let key: SecretBytes
                do { key = SecretBytes(copying: try GetrandomSource().bytes(bytes)) } catch { throw BrokerCLIError(message: "no randomness", causes: ["\(error)"]) }
                do { try data.store.storeKey(key, for: id) } catch { throw BrokerCLIError(message: "cannot create the key", causes: [error.description]) }
                try Key.ensureKeyIDSecret(data)
                print("created a \(bytes)-byte key for \(id)")
            }
        }

        struct Import: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Import RESOURCE's key from FILE (raw bytes), e.g. an existing LUKS passphrase file.")
            @Argument(help: "REPO/TYPE/TAG") var resource: String
            @Argument(help: "File holding the key bytes.") var file: String
            @Flag(help: "Replace an existing key.") var replace = false
            @OptionGroup var data: DataOptions

            func run() throws {
                let id = try DataOptions.resource(resource)
                var bytes: [UInt8]
                do { bytes = try HostFileSystem().readFile(HostFileSystem.absolutePath(file), limit: BrokerStore.keySizeRange.upperBound) } catch {
                    throw BrokerCLIError(message: "cannot read \(file)", causes: ["\(error)"])
                }
                defer { for index in bytes.indices { bytes[index] = 0 } }
                do { try data.store.storeKey(SecretBytes(copying: bytes), for: id, replace: replace) } catch {
                    throw BrokerCLIError(message: "cannot import the key", causes: [error.description])
                }
                try Key.ensureKeyIDSecret(data)
                print("imported a \(bytes.count)-byte key for \(id)")
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List resources, with whether each has a key and a policy.")
            @OptionGroup var data: DataOptions

            func run() throws {
                let entries: [(id: ResourceID, hasKey: Bool, hasPolicy: Bool)]
                do { entries = try data.store.list() } catch { throw BrokerCLIError(message: "cannot list", causes: [error.description]) }
                for entry in entries {
                    print("\(entry.id)\tkey: \(entry.hasKey ? "yes" : "no")\tpolicy: \(entry.hasPolicy ? "yes" : "NONE (nothing is released)")")
                }
            }
        }

        struct Delete: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Delete RESOURCE's key and policy.")
            @Argument(help: "REPO/TYPE/TAG") var resource: String
            @OptionGroup var data: DataOptions

            func run() throws {
                let id = try DataOptions.resource(resource)
                do { try data.store.delete(id) } catch { throw BrokerCLIError(message: "cannot delete", causes: [error.description]) }
                print("deleted \(id)")
            }
        }
    }
}
