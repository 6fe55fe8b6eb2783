import ArgumentParser
import CanonicalJSON

/// Writes a JSON document (indented, canonical member order) or text to standard output.
enum Output {
    static func json(_ value: JSONValue) throws {
        do { print(try value.prettyText()) } catch {
            throw ValidationError("internal error: \(error)")
        }
    }
}
