import ArgumentParser
import GuestGuardLinux
import GuestGuardPlatform
import KeyBrokerServer

extension GuestGuardBroker {
    struct Key: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Manage resource keys (stored with mode 0600, written atomically; never printed).",
            subcommands: [Create.self, Import.self, List.self, Delete.self]
        )

        /// Makes the key-id secret (DATA/key-id.secret, or its sealed row) with the first key, so
        /// replicas serving the store read-only find it.
        static func ensureKeyIDSecret(_ storage: any BrokerStorage) async throws {
            do { _ = try await storage.keyIDSecret(random: GetrandomSource()) } catch {
                throw BrokerCLIError(message: "cannot set up the key-id secret", causes: ["\(error)"])
            }
        }

        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Create a random key for RESOURCE.")
            @Argument(help: "REPO/TYPE/TAG") var resource: String
            @Option(help: "Key length in bytes.") var bytes: Int = 64
            @OptionGroup var data: DataOptions

            func run() async throws {
                let id = try DataOptions.resource(resource)
                guard BrokerStore.keySizeRange.contains(bytes) else { throw ValidationError("--bytes must be \(BrokerStore.keySizeRange)") }
                let key: SecretBytes
                do { key = SecretBytes(copying: try GetrandomSource().bytes(bytes)) } catch { throw BrokerCLIError(message: "no randomness", causes: ["\(error)"]) }
                try await data.withStorage { storage in
                    do { try await storage.storeKey(key, for: id, replace: false) } catch {
                        throw BrokerCLIError(message: "cannot create the key", causes: ["\(error)"])
                    }
                    try await Key.ensureKeyIDSecret(storage)
                }
                print("created a \(bytes)-byte key for \(id)")
            }
        }

        struct Import: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Import RESOURCE's key from FILE (raw bytes), e.g. an existing LUKS passphrase file.")
            @Argument(help: "REPO/TYPE/TAG") var resource: String
            @Argument(help: "File holding the key bytes.") var file: String
            @Flag(help: "Replace an existing key.") var replace = false
            @OptionGroup var data: DataOptions

            func run() async throws {
                let id = try DataOptions.resource(resource)
                var bytes: [UInt8]
                do { bytes = try HostFileSystem().readFile(HostFileSystem.absolutePath(file), limit: BrokerStore.keySizeRange.upperBound) } catch {
                    throw BrokerCLIError(message: "cannot read \(file)", causes: ["\(error)"])
                }
                defer { for index in bytes.indices { bytes[index] = 0 } }
                let key = SecretBytes(copying: bytes)
                try await data.withStorage { storage in
                    do { try await storage.storeKey(key, for: id, replace: replace) } catch {
                        throw BrokerCLIError(message: "cannot import the key", causes: ["\(error)"])
                    }
                    try await Key.ensureKeyIDSecret(storage)
                }
                print("imported a \(bytes.count)-byte key for \(id)")
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List resources, with whether each has a key and a policy.")
            @OptionGroup var data: DataOptions

            func run() async throws {
                let entries = try await data.withStorage { storage in
                    do { return try await storage.list() } catch { throw BrokerCLIError(message: "cannot list", causes: ["\(error)"]) }
                }
                for entry in entries {
                    print("\(entry.id)\tkey: \(entry.hasKey ? "yes" : "no")\tpolicy: \(entry.hasPolicy ? "yes" : "NONE (nothing is released)")")
                }
            }
        }

        struct Delete: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Delete RESOURCE's key and policy.")
            @Argument(help: "REPO/TYPE/TAG") var resource: String
            @OptionGroup var data: DataOptions

            func run() async throws {
                let id = try DataOptions.resource(resource)
                try await data.withStorage { storage in
                    do { try await storage.delete(id) } catch { throw BrokerCLIError(message: "cannot delete", causes: ["\(error)"]) }
                }
                print("deleted \(id)")
            }
        }
    }
}
