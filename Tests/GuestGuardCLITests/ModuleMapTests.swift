import Foundation
import Testing

/// README's module map ("Design") against Package.swift: every target of the package has a row, every
/// row names targets that exist, and a row's "depends on" lists exactly the targets' direct
/// dependencies (other modules by name, packages by their URL's last component), less the modules
/// the row itself names (a C shim beside its Swift module).
@Suite struct ModuleMapTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Target name → its direct dependencies, in Package.swift's order (products by package name).
    static func packageTargets() throws -> [String: [String]] {
        let manifest = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        var targets: [String: [String]] = [:]
        let source = manifest
        for kind in [".target(", ".executableTarget(", ".systemLibrary("] {
            var searchFrom = source.startIndex
            while let start = source.range(of: kind, range: searchFrom..<source.endIndex) {
                searchFrom = start.upperBound
                // The call's text, to its matching parenthesis.
                var depth = 1
                var end = start.upperBound
                while depth > 0, end < source.endIndex {
                    if source[end] == "(" { depth += 1 } else if source[end] == ")" { depth -= 1 }
                    end = source.index(after: end)
                }
                let call = String(source[start.upperBound..<end])
                guard let name = Self.firstQuoted(after: "name:", in: call) else { continue }
                var dependencies: [String] = []
                if let list = call.range(of: "dependencies:") {
                    let open = call.range(of: "[", range: list.upperBound..<call.endIndex)!.upperBound
                    var level = 1
                    var close = open
                    while level > 0 {
                        if call[close] == "[" { level += 1 } else if call[close] == "]" { level -= 1 }
                        close = call.index(after: close)
                    }
                    var items = String(call[open..<call.index(before: close)])
                    while let product = items.range(of: ".product(") {
                        let productEnd = items.range(of: ")", range: product.upperBound..<items.endIndex)!.upperBound
                        let package = Self.firstQuoted(after: "package:", in: String(items[product.upperBound..<productEnd]))!
                        if !dependencies.contains(package) { dependencies.append(package) }
                        items.removeSubrange(product.lowerBound..<productEnd)
                    }
                    for module in items.components(separatedBy: "\"").enumerated().filter({ $0.offset % 2 == 1 }).map(\.element)
                    where !dependencies.contains(module) {
                        dependencies.append(module)
                    }
                }
                targets[name] = dependencies
            }
        }
        return targets
    }

    static func firstQuoted(after key: String, in text: String) -> String? {
        guard let keyRange = text.range(of: key), let open = text.range(of: "\"", range: keyRange.upperBound..<text.endIndex),
            let close = text.range(of: "\"", range: open.upperBound..<text.endIndex)
        else { return nil }
        return String(text[open.upperBound..<close.lowerBound])
    }

    /// The map's rows: the backticked names of the first cell, and the last cell's comma-separated list.
    static func readmeRows() throws -> [(names: [String], dependsOn: Set<String>)] {
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let lines = readme.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = try #require(lines.firstIndex(of: "| module | job | depends on |"))
        var rows: [(names: [String], dependsOn: Set<String>)] = []
        for line in lines[(header + 2)...] {
            guard line.hasPrefix("|") else { break }
            let cells = line.components(separatedBy: " | ")
            let names = cells[0].components(separatedBy: "`").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
            let last = cells[cells.count - 1].replacingOccurrences(of: " |", with: "")
            let dependsOn = Set(last.components(separatedBy: ", ").filter { $0 != "—" && $0 != "system packages" })
            rows.append((names, dependsOn))
        }
        return rows
    }

    @Test func everyTargetHasARowAndEveryRowItsExactDependencies() throws {
        let targets = try Self.packageTargets()
        #expect(targets.count > 30, "Package.swift was not read: \(targets.keys.sorted())")
        let rows = try Self.readmeRows()
        var mapped: Set<String> = []
        for row in rows {
            for name in row.names { #expect(targets[name] != nil, "README's module map names \(name), which Package.swift does not have") }
            let own = Set(row.names)
            let expected = Set(row.names.flatMap { targets[$0] ?? [] }).subtracting(own)
            #expect(row.dependsOn == expected,
                    "README row \(row.names): missing \(expected.subtracting(row.dependsOn).sorted()), not in Package.swift \(row.dependsOn.subtracting(expected).sorted())")
            mapped.formUnion(own)
        }
        #expect(Set(targets.keys).subtracting(mapped).isEmpty, "targets without a row in README's module map: \(Set(targets.keys).subtracting(mapped).sorted())")
    }
}
