import GuestGuardCore
import CanonicalJSON
import GuestGuardPlatform

/// The undo journal (`/var/lib/guestguard/deny-journal.json`, mode 0600, replaced atomically):
/// the first change guestguard made to each subject (file, unit, sysctl, attribute), oldest first,
/// with what was there before. `--undo` replays it backwards.
public struct DenyJournal: Sendable, Hashable {
    public static let defaultPath = "/var/lib/guestguard/deny-journal.json"
    public static let schema = "guestguard.deny-journal/v1"

    public struct Entry: Sendable, Hashable {
        public let time: Timestamp
        public let step: DenyStep
        public init(time: Timestamp, step: DenyStep) {
            self.time = time
            self.step = step
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry] = []) { self.entries = entries }

    /// Reads the journal at `path`; an absent file is an empty journal.
    public static func load(_ path: String, files: any FileSystem) throws(DenyError) -> DenyJournal {
        guard files.exists(path) else { return DenyJournal() }
        do {
            let value = try JSONParser.parse(try files.readFile(path, limit: 64 << 20), limits: .init(maxBytes: 64 << 20, maxDepth: 16, maxStringBytes: 16 << 20))
            return try DenyJournal(json: value)
        } catch DenyError.journal(_, let reason) {
            throw DenyError.journal(path: path, reason: reason)
        } catch {
            throw DenyError.journal(path: path, reason: "\(error)")
        }
    }

    /// Writes the journal atomically with mode 0600 (the directory is created 0700 if missing).
    public func save(_ path: String, files: any FileSystem) throws(DenyError) {
        do {
            if let slash = path.lastIndex(of: "/"), slash != path.startIndex { try files.createDirectory(String(path[..<slash]), mode: 0o700) }
            try files.writeFile(path, bytes: Array(try json.prettyText().utf8) + [0x0A], mode: 0o600)
        } catch let error as PlatformError {
            throw DenyError.journal(path: path, reason: "\(error)")
        } catch {
            throw DenyError.journal(path: path, reason: "\(error)")
        }
    }
}
