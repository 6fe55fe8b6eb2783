import Foundation
import GuestGuardConfig
import GuestGuardLinuxProcesses

/// Python's `tomllib` (CPython 3.11+, a TOML 1.0 reader written independently of ours) as a peer:
/// it parses documents to a canonical JSON line, and ``canonicalJSON(_:)`` renders our tree the same way,
/// so equal strings mean both readers produced the same values.
enum TOMLPeer {
    static let python = "/usr/bin/python3"

    static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: python)
    }

    /// One line per document: canonical JSON (sorted keys, ASCII-only, no spaces), "ERROR" when
    /// tomllib rejects the document, or "UNSUPPORTED <type>" when it holds a float or a date/time.
    private static let script = #"""
        import sys, tomllib, json, datetime
        def check(o):
            if isinstance(o, float): raise TypeError("float")
            if isinstance(o, (datetime.date, datetime.time)): raise TypeError("datetime")
            if isinstance(o, dict):
                for v in o.values(): check(v)
            if isinstance(o, list):
                for v in o: check(v)
        for line in open(sys.argv[1]):
            data = bytes.fromhex(line.strip())
            try:
                value = tomllib.loads(data.decode("utf-8"))
            except Exception:
                print("ERROR"); continue
            try:
                check(value)
            except TypeError as e:
                print("UNSUPPORTED " + str(e)); continue
            print(json.dumps(value, sort_keys=True, ensure_ascii=True, separators=(",", ":")))
        """#

    /// Parses every document with tomllib in one python3 process (through `ProgramRunner`).
    static func parse(_ documents: [[UInt8]]) throws -> [String] {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("toml-peer-\(UUID().uuidString).txt")
        let lines = documents.map { $0.map { String(format: "%02x", $0) }.joined() + "\n" }.joined()
        try Data(lines.utf8).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let outcome = try ProgramRunner(timeout: .seconds(600), outputLimit: 256 << 20).run(python, ["-c", script, input.path])
        return outcome.standardOutput.split(separator: "\n", omittingEmptySubsequences: false)
            .dropLast().map(String.init)
    }

    /// Our value as Python's `json.dumps(sort_keys=True, ensure_ascii=True, separators=(",", ":"))`.
    static func canonicalJSON(_ value: ConfigValue) -> String {
        switch value.kind {
        case .string(let text): return jsonString(text)
        case .integer(let number): return String(number)
        case .boolean(let flag): return flag ? "true" : "false"
        case .array(let elements): return "[" + elements.map(canonicalJSON).joined(separator: ",") + "]"
        case .table(let table): return canonicalJSON(table)
        }
    }

    static func canonicalJSON(_ table: TOMLTable) -> String {
        // Python sorts str keys by code point.
        let sorted = table.entries.sorted {
            $0.key.unicodeScalars.map(\.value).lexicographicallyPrecedes($1.key.unicodeScalars.map(\.value))
        }
        return "{" + sorted.map { jsonString($0.key) + ":" + canonicalJSON($0.value) }.joined(separator: ",") + "}"
    }

    private static func jsonString(_ text: String) -> String {
        var out = "\""
        for unit in text.utf16 {
            switch unit {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0x20..<0x7F, 0x7F: out.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
            default: out += String(format: "\\u%04x", unit)
            }
        }
        return out + "\""
    }
}
