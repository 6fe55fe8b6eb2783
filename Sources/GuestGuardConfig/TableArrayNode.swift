/// An array of tables (`[[name]]`) while parsing.
final class TableArrayNode {
    let keyPath: ConfigKeyPath
    let location: SourceLocation
    var elements: [TableNode] = []

    init(keyPath: ConfigKeyPath, location: SourceLocation) {
        self.keyPath = keyPath
        self.location = location
    }
}
