import GuestGuardConfig
import Testing

@Suite struct TOMLReaderTests {
    private func parse(_ text: String, limits: ConfigLimits = .default) throws(ConfigError) -> TOMLTable {
        try TOMLTable(parsing: text, fileName: "t.toml", limits: limits)
    }

    private func message(_ text: String, limits: ConfigLimits = .default) -> String? {
        do {
            _ = try parse(text, limits: limits)
            return nil
        } catch {
            return error.description
        }
    }

    // MARK: Valid documents

    @Test(.enabled(if: TOMLPeer.isAvailable))
    func validCorpusMatchesPythonTomllib() throws {
        let documents = TOMLValidCorpus.documents
        let peer = try TOMLPeer.parse(documents.map { Array($0.text.utf8) })
        try #require(peer.count == documents.count)
        for (document, expected) in zip(documents, peer) {
            let table = try parse(document.text)
            #expect(TOMLPeer.canonicalJSON(table) == expected, "\(document.name)")
        }
    }

    @Test(.enabled(if: TOMLPeer.isAvailable))
    func errorCorpusIsInvalidTOMLOrOutsideTheSubset() throws {
        let cases = TOMLErrorCorpus.cases
        let peer = try TOMLPeer.parse(cases.map { Array($0.text.utf8) })
        try #require(peer.count == cases.count)
        for (errorCase, verdict) in zip(cases, peer) {
            switch errorCase.peer {
            case .rejects:
                #expect(verdict == "ERROR", "\(errorCase.name): tomllib says \(verdict)")
            case .acceptsOutsideSubset, .acceptsBeyondTOML:
                #expect(verdict != "ERROR", "\(errorCase.name): tomllib says \(verdict)")
            }
        }
    }

    @Test func stringsAndEscapes() throws {
        let table = try parse(
            #"""
            a = "tab\t quote\" backslash\\ \u00E9\U0001F600"
            b = 'C:\path\n'
            c = """
            line one
            line two \
                continued"""
            d = '''
            raw \n'''
            e = """two quotes: "" end"""
            """#)
        #expect(try table.string("a") == "tab\t quote\" backslash\\ é😀")
        #expect(try table.string("b") == #"C:\path\n"#)
        #expect(try table.string("c") == "line one\nline two continued")
        #expect(try table.string("d") == #"raw \n"#)
        #expect(try table.string("e") == #"two quotes: "" end"#)
    }

    @Test(arguments: [
        ("0", Int64(0)), ("-0", 0), ("+17", 17), ("-42", -42), ("1_000_000", 1_000_000),
        ("0xDEAD_beef", 0xDEAD_BEEF), ("0x0", 0), ("9223372036854775807", .max),
        ("-9223372036854775808", .min), ("0x7FFFFFFFFFFFFFFF", .max),
    ])
    func integers(text: String, value: Int64) throws {
        let table = try parse("n = \(text)")
        #expect(table["n"]?.kind == .integer(value))
    }

    @Test func structureAndOrder() throws {
        let table = try parse(
            """
            z = 1
            a.b = 2
            [t]
            x = [1, [2, 3], {k = "v"}]
            [[list]]
            n = 1
            [[list]]
            n = 2
            [list.sub]
            m = 3
            """)
        #expect(table.keys == ["z", "a", "t", "list"])
        #expect(try table.table("a").integer("b", as: Int.self) == 2)
        let x = try table.table("t").array("x")
        #expect(x.count == 3)
        #expect(try x[1].array().map { try $0.integer(as: Int.self) } == [2, 3])
        #expect(try x[2].table().string("k") == "v")
        let list = try table.tables("list")
        #expect(list.count == 2)
        #expect(try list[1].table("sub").integer("m", as: Int.self) == 3)
        #expect(list[1].keyPath.description == "list[1]")
        #expect(try list[1].table("sub").required("m").keyPath.description == "list[1].sub.m")
    }

    // MARK: Locations

    @Test func valuesAndKeysKeepTheirLocations() throws {
        let table = try parse(
            """
            # comment
            name = "ü"   # after
            [report.minimum-tcb]
              snp  =  8
            list = [
                1,  "two",
            ]
            "ключ" = true
            """)
        let name = try #require(table["name"])
        #expect(name.location == SourceLocation(fileName: "t.toml", line: 2, column: 8))
        #expect(table.entry("name")?.keyLocation.line == 2)
        let tcb = try table.table("report").table("minimum-tcb")
        #expect(tcb.location == SourceLocation(fileName: "t.toml", line: 3, column: 1))
        let snp = try #require(tcb["snp"])
        #expect(snp.location == SourceLocation(fileName: "t.toml", line: 4, column: 11))
        #expect(snp.keyPath.description == "report.minimum-tcb.snp")
        #expect(tcb.entry("snp")?.keyLocation == SourceLocation(fileName: "t.toml", line: 4, column: 3))
        let list = try tcb.array("list")
        #expect(list[1].location == SourceLocation(fileName: "t.toml", line: 6, column: 9))
        #expect(list[1].keyPath.description == "report.minimum-tcb.list[1]")
        // Column counts Unicode scalars: the quoted Cyrillic key is 6 scalars, 11 bytes.
        #expect(tcb["ключ"]?.location == SourceLocation(fileName: "t.toml", line: 8, column: 10))
    }

    @Test func crlfCountsAsOneLine() throws {
        let table = try parse("a = 1\r\n\r\nb = 2\r\n")
        #expect(table["b"]?.location.line == 3)
        #expect(table["b"]?.location.column == 5)
    }

    // MARK: Errors

    @Test(arguments: TOMLErrorCorpus.cases)
    func rejects(_ errorCase: TOMLErrorCase) {
        #expect(message(errorCase.text) == errorCase.message)
    }

    @Test func errorCarriesItsParts() {
        #expect {
            try parse("[report]\nvmpl = 0x\n")
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.location == SourceLocation(fileName: "t.toml", line: 2, column: 8)
                && error.keyPath == ConfigKeyPath([.key("report"), .key("vmpl")])
                && error.reason == .invalidInteger("0x")
        }
    }

    @Test func invalidUTF8IsRejectedWithItsPosition() {
        let bytes: [UInt8] = Array("a = 1\nb = \"x".utf8) + [0xC3, 0x28] + Array("\"".utf8)
        #expect(throws: ConfigError(
            location: SourceLocation(fileName: "t.toml", line: 2, column: 7), keyPath: .root, reason: .invalidUTF8
        )) {
            try TOMLTable(parsingUTF8: bytes, fileName: "t.toml")
        }
    }

    @Test(arguments: [
        [0xFF], [0xC0, 0x80], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82],
    ] as [[UInt8]])
    func malformedUTF8Sequences(_ sequence: [UInt8]) {
        let bytes = Array("a = '".utf8) + sequence + Array("'".utf8)
        #expect(throws: ConfigError(
            location: SourceLocation(fileName: "t.toml", line: 1, column: 6), keyPath: .root, reason: .invalidUTF8
        )) {
            try TOMLTable(parsingUTF8: bytes, fileName: "t.toml")
        }
    }

    @Test func validUTF8BytesParseLikeText() throws {
        let text = "a = \"é€😀\"\n[t]\nb = 'x'\n"
        #expect(try TOMLTable(parsingUTF8: Array(text.utf8), fileName: "t.toml") == parse(text))
    }

    @Test func inputSizeLimit() {
        let limits = ConfigLimits(maximumInputBytes: 10, maximumNestingDepth: 32)
        #expect(message("a = 1", limits: limits) == nil)
        #expect(message("a = 123456789", limits: limits) == "t.toml:1:1: input is 13 bytes, more than the limit of 10")
        #expect(throws: ConfigError(
            location: SourceLocation(fileName: "t.toml", line: 1, column: 1), keyPath: .root,
            reason: .inputTooLarge(byteCount: 11, limit: 10)
        )) {
            try TOMLTable(parsingUTF8: Array(repeating: 0x20, count: 11), fileName: "t.toml", limits: limits)
        }
    }

    @Test(arguments: [
        ("a = [[[1]]]", nil),
        ("a = [[[[1]]]]", #"t.toml:1:9: key "a[0][0][0][0]": nested deeper than the limit of 4 levels"#),
        ("a = {b = {c = {d = 1}}}", nil),
        ("a = {b = {c = {d = {e = 1}}}}", #"t.toml:1:25: key "a.b.c.d.e": nested deeper than the limit of 4 levels"#),
        ("[a.b.c.d]", nil),
        ("[a.b.c.d.e]", #"t.toml:1:10: key "a.b.c.d.e": nested deeper than the limit of 4 levels"#),
        ("[[a.b.c]]", nil),
        ("[[a.b.c.d]]", #"t.toml:1:9: key "a.b.c.d[0]": nested deeper than the limit of 4 levels"#),
        ("a.b.c.d.e = 1", #"t.toml:1:13: key "a.b.c.d.e": nested deeper than the limit of 4 levels"#),
        ("[a.b]\nc.d.e = 1", #"t.toml:2:9: key "a.b.c.d.e": nested deeper than the limit of 4 levels"#),
    ] as [(String, String?)])
    func nestingLimit(text: String, expected: String?) {
        #expect(message(text, limits: ConfigLimits(maximumInputBytes: 1000, maximumNestingDepth: 4)) == expected)
    }

    @Test func deepNestingWithinTheDefaultSizeLimitFailsCleanly() {
        let depth = 100_000
        let text = "a = " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(message(text) == #"t.toml:1:37: key "a\#(String(repeating: "[0]", count: 32))": nested deeper than the limit of 32 levels"#)
    }

    @Test func longSingleLineArrayParses() throws {
        let count = 100_000
        let text = "a = [" + Array(repeating: "1", count: count).joined(separator: ",") + "]"
        let elements = try parse(text).array("a")
        #expect(elements.count == count)
        #expect(elements[count - 1].location.column == 6 + 2 * (count - 1))
    }
}
