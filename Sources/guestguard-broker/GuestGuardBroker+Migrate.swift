import ArgumentParser
import KeyBrokerPostgres
import KeyBrokerServer

extension GuestGuardBroker {
    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the PostgreSQL store's tables, or bring an older schema up to this broker's version.",
            discussion: "Safe to run again and from several hosts at once (one transaction under an advisory lock). A schema newer than this broker knows is refused.")
        @OptionGroup var data: DataOptions

        func validate() throws {
            guard data.store != nil else { throw ValidationError("migrate needs --store postgres://… (the embedded --data store has no schema)") }
        }

        func run() async throws {
            let storage = try await data.openPostgres(data.store ?? "", checkSchema: false)
            do {
                let found = try await storage.migrate()
                await storage.shutdown()
                print(found == PostgresSchema.current
                      ? "schema is at version \(PostgresSchema.current): nothing to do"
                      : "schema migrated from version \(found) to \(PostgresSchema.current)")
            } catch {
                await storage.shutdown()
                throw BrokerCLIError(message: "migration failed", causes: ["\(error)"])
            }
        }
    }
}
