import GuestGuardConfig
import GuestGuardCore
import GuestGuardPosture
import SNPPolicy

/// TOML configuration and policy files: the reader (`TOMLTable(parsingUTF8:)`) and the three
/// consumers of its tree: `BootConfig` (guestguard.toml, in the measured initramfs), the SNP
/// verification policy, and the deny policy. Every error must render a message.
enum TOMLTargets {
    static let config = FuzzTarget(name: "toml", summary: "TOML reader, BootConfig, SNPVerificationPolicy and DenyPolicy") { input in
        let table: TOMLTable
        do { table = try TOMLTable(parsingUTF8: input, fileName: "fuzz.toml") } catch {
            _ = "\(error)"
            return
        }
        checkTree(table, depth: 0)
        let text = String(decoding: input, as: UTF8.self)
        do { _ = try BootConfig(parsing: text, fileName: "guestguard.toml") } catch { _ = "\(error)" }
        do { _ = try SNPVerificationPolicy(parsing: text, fileName: "policy.toml") } catch { _ = "\(error)" }
        do { _ = try DenyPolicy(parsing: text, fileName: "deny.toml") } catch { _ = "\(error)" }
    }

    /// Keys are unique per table and every value's key path ends in its key.
    static func checkTree(_ table: TOMLTable, depth: Int) {
        fuzzCheck(Set(table.keys).count == table.keys.count, "duplicate keys in one table")
        for entry in table.entries {
            fuzzCheck(table[entry.key] != nil, "entry \(entry.key) not found by key")
            walk(entry.value, depth: depth + 1)
        }
    }

    static func walk(_ value: ConfigValue, depth: Int) {
        switch value.kind {
        case .table(let table): checkTree(table, depth: depth)
        case .array(let elements): for element in elements { walk(element, depth: depth + 1) }
        case .string, .integer, .boolean: _ = value.typeName
        }
    }
}
