import GuestGuardConfig
import Testing

@Suite struct TOMLDecodingTests {
    private enum Mode: String, CaseIterable {
        case allow, forbid
    }

    private static let document = """
        resource = "disk/root"
        retries = 5
        enabled = true
        mode = "forbid"
        [report]
        vmpl = [0, 1]
        [report.minimum-tcb]
        snp        = "8"
        tee = 300
        [[brokers]]
        url = "https://a.example"
        [[brokers]]
        url = "https://b.example"
        colour = "blue"
        """

    private let table: TOMLTable

    init() throws {
        table = try TOMLTable(parsing: Self.document, fileName: "policy.toml")
    }

    /// The description of the `ConfigError` that `body` throws, or nil if it throws nothing.
    private func message(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let error as ConfigError {
            return error.description
        } catch {
            return "not a ConfigError: \(error)"
        }
    }

    @Test func readsTypedValues() throws {
        #expect(try table.string("resource") == "disk/root")
        #expect(try table.integer("retries", in: 0...100) == 5)
        #expect(try table.integer("retries", as: UInt8.self) == 5)
        #expect(try table.boolean("enabled"))
        #expect(try table.keyword("mode", as: Mode.self) == .forbid)
        #expect(try table.string("mode", oneOf: ["allow", "forbid"]) == "forbid")
        #expect(try table.table("report").array("vmpl").map { try $0.integer(in: UInt32(0)...3) } == [0, 1])
        #expect(try table.tables("brokers").map { try $0.string("url") } == ["https://a.example", "https://b.example"])
        #expect(try table["absent"]?.string() == nil)
        #expect(try table["resource"]?.string() == "disk/root")
    }

    @Test func typeMismatchNamesFileLineColumnAndKeyPath() {
        let tcb = try? table.table("report").table("minimum-tcb")
        #expect(message { _ = try tcb?.integer("snp", as: UInt8.self) }
            == #"policy.toml:8:14: key "report.minimum-tcb.snp": expected an integer 0...255, found string"#)
        #expect(message { _ = try table.string("retries") }
            == #"policy.toml:2:11: key "retries": expected a string, found integer"#)
        #expect(message { _ = try table.integer("resource", as: Int64.self) }
            == #"policy.toml:1:12: key "resource": expected an integer, found string"#)
        #expect(message { _ = try table.integer("resource", as: UInt64.self) }
            == #"policy.toml:1:12: key "resource": expected an integer 0...18446744073709551615, found string"#)
        #expect(message { _ = try table.boolean("resource") }
            == #"policy.toml:1:12: key "resource": expected a boolean, found string"#)
        #expect(message { _ = try table.table("resource") }
            == #"policy.toml:1:12: key "resource": expected a table, found string"#)
        #expect(message { _ = try table.array("report") }
            == #"policy.toml:5:1: key "report": expected an array, found table"#)
    }

    @Test func outOfRangeIntegerShowsTheValue() {
        let tcb = try? table.table("report").table("minimum-tcb")
        #expect(message { _ = try tcb?.integer("tee", as: UInt8.self) }
            == #"policy.toml:9:7: key "report.minimum-tcb.tee": expected an integer 0...255, found 300"#)
        #expect(message { _ = try table.integer("retries", in: 10...20) }
            == #"policy.toml:2:11: key "retries": expected an integer 10...20, found 5"#)
    }

    @Test func missingKeyPointsAtItsTable() {
        #expect(message { _ = try table.string("absent") } == #"policy.toml:1:1: key "absent": required key is missing"#)
        let report = try? table.table("report")
        #expect(message { _ = try report?.integer("minimum-guest-svn", as: UInt32.self) }
            == #"policy.toml:5:1: key "report.minimum-guest-svn": required key is missing"#)
    }

    @Test func unknownKeysAreRejectedWithTheirLine() throws {
        #expect(throws: Never.self) {
            try table.requireKnownKeys(["resource", "retries", "enabled", "mode", "report", "brokers"])
        }
        #expect(message { try table.requireKnownKeys(["resource", "retries", "enabled", "report", "brokers"]) }
            == #"policy.toml:4:1: key "mode": unknown key (known keys: resource, retries, enabled, report, brokers)"#)
        let brokers = try table.tables("brokers")
        #expect(throws: Never.self) { try brokers[0].requireKnownKeys(["url"]) }
        #expect(message { try brokers[1].requireKnownKeys(["url"]) }
            == #"policy.toml:14:1: key "brokers[1].colour": unknown key (known keys: url)"#)
        #expect(message { try brokers[1].requireKnownKeys([]) }
            == #"policy.toml:13:1: key "brokers[1].url": unknown key (this table takes no keys)"#)
    }

    @Test func keywordsMustBeOneOfTheAllowedSpellings() throws {
        let other = try TOMLTable(parsing: "mode = \"Forbid\"", fileName: "p.toml")
        #expect(message { _ = try other.keyword("mode", as: Mode.self) }
            == #"p.toml:1:8: key "mode": expected one of "allow", "forbid", found "Forbid""#)
    }

    @Test func arrayElementsAreCheckedWithTheirIndex() throws {
        let other = try TOMLTable(parsing: "a = [\"x\",\n  2]\nb = [{}, 1]", fileName: "p.toml")
        #expect(message { _ = try other.stringArray("a") } == #"p.toml:2:3: key "a[1]": expected a string, found integer"#)
        #expect(message { _ = try other.tables("b") } == #"p.toml:3:10: key "b[1]": expected a table, found integer"#)
    }

    @Test func invalidValueSummarisesTheValue() throws {
        let other = try TOMLTable(
            parsing: "h = \"\(String(repeating: "ab", count: 30))\"\nn = [1, 2]\nm = [3]", fileName: "p.toml")
        let h = try other.required("h")
        #expect(h.invalid(expected: "96 hex digits").description
            == #"p.toml:1:5: key "h": expected 96 hex digits, found "\#(String(repeating: "ab", count: 20))…""#)
        #expect(try other.required("n").invalid(expected: "one element").description
            == #"p.toml:2:5: key "n": expected one element, found an array of 2 elements"#)
        #expect(try other.required("m").summary == "an array of 1 element")
    }
}
