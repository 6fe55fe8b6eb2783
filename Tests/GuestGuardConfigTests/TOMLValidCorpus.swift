/// Valid documents inside guestguard's TOML subset, each exercising a group of features. Every one is
/// also read by Python's tomllib in `TOMLReaderTests`; both readers must produce the same values.
enum TOMLValidCorpus {
    static let documents: [(name: String, text: String)] = [
        ("empty", ""),
        ("comments and blank lines", "# only a comment\n\n   \t\n# another\n"),
        (
            "guestguard.toml",
            #"""
            # guestguard agent configuration
            resource = "disk/root"   # what to unlock
            retries = 5
            timeout-seconds = 0x1E

            [[brokers]]
            url = "https://kbs.example.com:8443"
            pins = ["sha256/AAAA", 'sha256/BBBB',]

            [[brokers]]
            url = "https://kbs-backup.example.com"
            pins = [
                "sha256/CCCC", # primary
                "sha256/DDDD",
            ]

            [logging]
            level = "info"
            """#
        ),
        (
            "policy.toml",
            #"""
            [deny]
            kernel-lockdown = "enforce"
            "root-disk-encryption" = "enforce"
            'swap.encryption' = "enforce"
            """#
        ),
        (
            "snp policy",
            #"""
            version = 1
            [report]
            measurements = [
                "b07af9620f3b839b47996422ddec6058338951d984e312115131ea82705eaf5b6bdf8a9ece31a5a608eb0cf2e4872b01",
            ]
            debug = "forbid"
            vmpl = [0, 1]
            [report.minimum-tcb]
            bootloader = 3
            snp = 8
            [trust]
            roots = "amd"
            """#
        ),
        (
            "basic string escapes",
            #"""
            escapes = "tab\there \"quoted\" back\\slash \b\f\n\r end"
            unicode = "\u00E9 \u20AC \U0001F600 \u0000"
            raw-utf8 = "ʎǝʞ ✓ 😀"
            empty = ""
            """#
        ),
        (
            "literal strings",
            #"""
            path = 'C:\Users\nodejs\templates'
            regex = '<\i\c*\s*>'
            quoted = 'Tom "Dubs" Preston-Werner'
            empty = ''
            """#
        ),
        (
            "multi-line strings",
            "a = \"\"\"\nRoses are red\nViolets are blue\"\"\"\n"
                + "b = \"\"\"\\\n   The quick \\\n\n   brown fox.\\\n   \"\"\"\n"
                + "c = \"\"\"\"This,\" she said, \"is just a pointless statement.\"\"\"\"\n"
                + "d = \"\"\"Here are two quotation marks: \"\". Simple enough.\"\"\"\n"
                + "e = '''\nThe first newline is\ntrimmed in raw strings.\n   All other whitespace\n   is preserved.\n'''\n"
                + "f = ''''That,' she said, 'is still pointless.''''\n"
                + "g = \"\"\"tab\\t and \\u00E9 \\\"\\\"\\\" escaped\"\"\"\n"
                + "h = \"\"\"\"\"\"\n"
                + "i = \"\"\"a\"\"\"\"\"\n"
        ),
        ("CRLF line endings", "a = 1\r\nb = \"\"\"x\r\ny\"\"\"\r\n[t]\r\nc = [\r\n 1,\r\n]\r\n"),
        (
            "integers",
            #"""
            zero = 0
            plus-zero = +0
            minus-zero = -0
            positive = +17
            negative = -42
            separated = 1_000_000
            hex = 0xDEAD_beef
            hex-zero = 0x0
            hex-max = 0x7FFFFFFFFFFFFFFF
            max = 9223372036854775807
            min = -9223372036854775808
            """#
        ),
        ("booleans", "yes = true\nno = false\n"),
        (
            "arrays",
            #"""
            empty = []
            integers = [1, 2, 3]
            mixed = [1, "two", true, [3], { four = 4 }]
            nested = [[1, 2], [], [[3]]]
            trailing = [1, 2,]
            spread = [   # comment after the bracket
                1,
                # a comment line
                2   # after a value
                ,
                3,

            ]
            strings = ["a", 'b', """c""", '''d''']
            """#
        ),
        (
            "inline tables",
            #"""
            point = { x = 1, y = 2 }
            empty = {}
            nested = { a = { b = { c = "deep" } }, list = [1, 2] }
            dotted = { type.name = "pug", type.size = 3 }
            multi-line-value = { list = [
                1,
                2,
            ] }
            """#
        ),
        (
            "keys",
            #"""
            bare_key = 1
            bare-key = 2
            1234 = 3
            true = 4
            "" = 5
            "127.0.0.1" = 6
            "character encoding" = 7
            'key2' = 8
            "ʎǝʞ" = 9
            "quote \" in key" = 10
            site."google.com" = true
            a . b . c = 11
            a.b.d = 12
            """#
        ),
        (
            "tables",
            #"""
            top = 0
            [a.b.c]
            x = 1
            [a]
            y = 2
            [ d . e ]
            z = 3
            [fruit]
            apple.color = "red"
            apple.taste.sweet = true
            [fruit.apple.texture]
            smooth = true
            ["quoted header".'literal']
            q = 1
            """#
        ),
        (
            "arrays of tables",
            #"""
            [[fruits]]
            name = "apple"
            [fruits.physical]
            color = "red"
            [[fruits.varieties]]
            name = "red delicious"
            [[fruits.varieties]]
            name = "granny smith"

            [[fruits]]
            name = "banana"
            [[fruits.varieties]]
            name = "plantain"

            [[empty]]
            [[empty]]
            """#
        ),
        ("no trailing newline", "a = 1"),
        ("whitespace everywhere", "\t a\t=\t1\t# c\n[\tt\t]\t\n[[ u ]]\n"),
    ]
}
