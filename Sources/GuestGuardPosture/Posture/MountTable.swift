import GuestGuardCore
import GuestGuardPlatform

/// `/proc/self/mountinfo` (proc(5)): one entry per mount.
public struct MountTable: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        /// Field 3: `major:minor` of the filesystem's device (major 0 for virtual filesystems and btrfs).
        public let device: DeviceNumber
        /// Field 5: the mount point (octal escapes decoded).
        public let mountPoint: String
        /// The filesystem type after the " - " separator.
        public let fileSystemType: String
        /// The mount source after the type (e.g. `/dev/mapper/root`).
        public let source: String
    }

    public let entries: [Entry]

    /// Why a mountinfo line could not be parsed.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public let line: Int
        public let reason: String
        public var description: String { "/proc/self/mountinfo line \(line): \(reason)" }
    }

    public init(parsing text: String) throws(ParseError) {
        var entries: [Entry] = []
        for (index, line) in text.split(separator: "\n").enumerated() {
            let fields = line.split(separator: " ")
            guard let separator = fields.firstIndex(of: "-"), separator >= 6, fields.count >= separator + 3 else {
                throw ParseError(line: index + 1, reason: "expected at least 6 fields, \" - \", type and source")
            }
            guard let device = DeviceNumber(parsing: fields[2]) else {
                throw ParseError(line: index + 1, reason: "field 3 \(String(reflecting: String(fields[2]))) is not major:minor")
            }
            entries.append(Entry(device: device, mountPoint: Self.unescape(fields[4]),
                                 fileSystemType: String(fields[separator + 1]), source: Self.unescape(fields[separator + 2])))
        }
        guard !entries.isEmpty else { throw ParseError(line: 0, reason: "empty") }
        self.entries = entries
    }

    /// The entry that covers `path` (longest mount-point prefix; the last mount wins on ties).
    public func entry(containing path: String) -> Entry? {
        var best: Entry?
        for entry in entries {
            let point = entry.mountPoint
            let covers = point == "/" || path == point || path.hasPrefix(point.hasSuffix("/") ? point : point + "/")
            if covers, point.count >= (best?.mountPoint.count ?? -1) { best = entry }
        }
        return best
    }

    /// mountinfo escapes space, tab, newline and backslash as `\040` etc.
    static func unescape(_ field: Substring) -> String {
        guard field.contains("\\") else { return String(field) }
        var bytes: [UInt8] = []
        let raw = Array(field.utf8)
        var index = 0
        while index < raw.count {
            if raw[index] == UInt8(ascii: "\\"), index + 3 < raw.count,
               let value = UInt8(String(decoding: raw[index + 1...index + 3], as: UTF8.self), radix: 8)
            {
                bytes.append(value)
                index += 4
            } else {
                bytes.append(raw[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
