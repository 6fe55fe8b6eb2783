import GuestGuardConfig
import Testing

@Suite struct TOMLRendererTests {
    private func reparse(_ text: String) throws -> TOMLTable {
        try TOMLTable(parsing: text, fileName: "r.toml")
    }

    @Test(arguments: [
        "", "plain", "quote \" and backslash \\", "tab\tnewline\ncarriage\r", "\u{08}\u{0C}\u{00}\u{1F}\u{7F}",
        "é € 😀 ʎǝʞ", "'single' \"\"\" triple", "#not a comment", "trailing backslash \\",
    ])
    func stringsRoundTrip(_ value: String) throws {
        let table = try reparse(TOMLRenderer.assignment("v", TOMLRenderer.string(value)))
        #expect(try table.string("v") == value)
    }

    @Test func everyASCIIScalarRoundTrips() throws {
        let value = String(String.UnicodeScalarView((0..<0x80).compactMap(Unicode.Scalar.init)))
        let table = try reparse("v = \(TOMLRenderer.string(value))")
        #expect(try table.string("v") == value)
    }

    @Test(arguments: [
        ("bare-key_1", "bare-key_1"), ("", #""""#), ("a b", #""a b""#), ("a.b", #""a.b""#), ("ключ", #""ключ""#),
    ])
    func keysAreBareOnlyWhenTheyCanBe(key: String, rendered: String) throws {
        #expect(TOMLRenderer.key(key) == rendered)
        let table = try reparse(TOMLRenderer.assignment(key, "1"))
        #expect(table.keys == [key])
    }

    @Test func headersAndArraysRoundTrip() throws {
        let text = [
            TOMLRenderer.assignment("min", TOMLRenderer.integer(Int64.min)),
            TOMLRenderer.assignment("max", TOMLRenderer.integer(UInt8.max)),
            TOMLRenderer.assignment("flag", TOMLRenderer.boolean(false)),
            TOMLRenderer.assignment("empty", TOMLRenderer.array([])),
            TOMLRenderer.assignment("inline", TOMLRenderer.array(["1", "2"])),
            TOMLRenderer.assignment("spread", TOMLRenderer.array([TOMLRenderer.string("a"), TOMLRenderer.string("b")], multiline: true)),
            TOMLRenderer.tableHeader(["report", "minimum tcb"]),
            TOMLRenderer.assignment("snp", "8"),
            TOMLRenderer.arrayOfTablesHeader(["brokers"]),
            TOMLRenderer.assignment("url", TOMLRenderer.string("https://x")),
        ].joined(separator: "\n")
        let table = try reparse(text)
        #expect(try table.integer("min", as: Int64.self) == .min)
        #expect(try table.integer("max", as: UInt8.self) == 255)
        #expect(try !table.boolean("flag"))
        #expect(try table.array("empty").isEmpty)
        #expect(try table.array("inline").map { try $0.integer(as: Int.self) } == [1, 2])
        #expect(try table.stringArray("spread") == ["a", "b"])
        #expect(try table.table("report").table("minimum tcb").integer("snp", as: Int.self) == 8)
        #expect(try table.tables("brokers").first?.string("url") == "https://x")
        #expect(TOMLRenderer.tableHeader(["report", "minimum tcb"]) == #"[report."minimum tcb"]"#)
    }
}
