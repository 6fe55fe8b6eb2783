#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CGuestGuardLinux
import GuestGuardPlatform

/// The resident memory of a long-running process.
public enum ResidentMemory {
    /// Hands the pages of the read-only file mappings (the executable's and the libraries' code and constants)
    /// back to the kernel, for a daemon whose start-up (argument parsing, detection, the first posture, OpenSSL's
    /// initialisation) touched far more of its binary than serving does: what the daemon runs afterwards faults
    /// back in, page by page (`MADV_RANDOM`: no readahead window), the rest stops counting as its resident memory
    /// (issue 14: `guestguard serve` RSS). Per mapping, in this order:
    /// - `MADV_RANDOM`, then `MADV_PAGEOUT`: reclaims the pages only this process maps (they leave the page cache);
    /// - then `MADV_DONTNEED`, only for a mapping whose smaps entry says `Anonymous: 0 kB` and `Swap: 0 kB` (so it
    ///   holds no copy-on-write page, as a relocated RELRO segment does, whose contents the file does not have):
    ///   drops this process's mappings of the pages `MADV_PAGEOUT` leaves — pages other processes map too (libc,
    ///   libcrypto; the kernel skips those, and with large page-cache folios one shared page keeps the whole folio)
    ///   and folios it could not split. They stay in the page cache for whoever else uses them; a later access here
    ///   is a minor fault. Nothing is lost: a read-only page without a private copy is the file's bytes.
    /// Writable and anonymous mappings are not touched, so nothing that holds state is affected. Returns the bytes
    /// advised; best effort (a kernel before 5.4 has no `MADV_PAGEOUT`, a file without smaps fields gets no
    /// `MADV_DONTNEED`). The corresponding C functions are `madvise(MADV_RANDOM)`, `madvise(MADV_PAGEOUT)` and
    /// `madvise(MADV_DONTNEED)` over the ranges `/proc/self/smaps` lists.
    @discardableResult
    public static func releaseReadOnlyFilePages(smaps: String = "/proc/self/smaps") -> Int {
        guard let text = try? HostFileSystem().readFile(smaps, limit: 16 << 20) else { return 0 }
        var advised = 0
        for mapping in mappings(smaps: String(decoding: text, as: UTF8.self)) where mapping.isReadOnlyFile {
            guard let start = UnsafeMutableRawPointer(bitPattern: mapping.start) else { continue }
            let length = Int(mapping.end - mapping.start)
            // No readahead from here on, so a later fault brings back its own page, not a window of neighbours.
            _ = madvise(start, length, MADV_RANDOM)
            guard madvise(start, length, 21 /* MADV_PAGEOUT */) == 0 else { continue }
            advised += length
            if mapping.holdsOnlyFilePages { _ = madvise(start, length, MADV_DONTNEED) }
        }
        return advised
    }

    /// The mappings of a `/proc/PID/smaps` (or `maps`) text, with the `Anonymous:` and `Swap:` sizes where given.
    static func mappings(smaps text: String) -> [Mapping] {
        var mappings: [Mapping] = []
        for line in text.split(separator: "\n") {
            if let mapping = Mapping(line) {
                mappings.append(mapping)
            } else if !mappings.isEmpty, let (field, kilobytes) = sizeField(line) {
                if field == "Anonymous" { mappings[mappings.count - 1].anonymousKilobytes = kilobytes }
                if field == "Swap" { mappings[mappings.count - 1].swapKilobytes = kilobytes }
            }
        }
        return mappings
    }

    /// `Name:   123 kB` → ("Name", 123).
    static func sizeField(_ line: Substring) -> (Substring, Int)? {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count == 3, fields[0].last == ":", fields[2] == "kB", let value = Int(fields[1]) else { return nil }
        return (fields[0].dropLast(), value)
    }

    /// Caps glibc's malloc arenas (it gives each thread that allocates its own, up to 8 per core), so a daemon's
    /// threads share a few instead of each keeping its own free pages resident. Call before starting threads.
    /// Returns false when the C library refused (or is not glibc). The corresponding C function is `mallopt(M_ARENA_MAX)`.
    @discardableResult
    public static func limitMallocArenas(to arenas: Int32) -> Bool { guestguard_set_malloc_arena_max(arenas) == 1 }

    /// One line of `/proc/PID/maps`: `start-end perms offset dev inode [path]`.
    struct Mapping {
        let start: UInt
        let end: UInt
        let permissions: Substring
        let path: Substring?
        /// From smaps; nil when the text had no such field.
        var anonymousKilobytes: Int?
        var swapKilobytes: Int?

        init?(_ line: Substring) {
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count >= 5 else { return nil }
            let range = fields[0].split(separator: "-")
            guard range.count == 2, let start = UInt(range[0], radix: 16), let end = UInt(range[1], radix: 16), start < end else { return nil }
            self.start = start
            self.end = end
            permissions = fields[1]
            path = fields.count == 6 ? fields[5].drop { $0 == " " } : nil
        }

        /// Mapped from a file (not `[heap]`, `[stack]`, `[vdso]` …), readable and not writable.
        var isReadOnlyFile: Bool {
            guard let path, path.hasPrefix("/"), permissions.count == 4 else { return false }
            let flags = Array(permissions.utf8)
            return flags[0] == UInt8(ascii: "r") && flags[1] == UInt8(ascii: "-")
        }

        /// smaps said it has no private (copy-on-write) page, resident or swapped: dropping it loses nothing.
        var holdsOnlyFilePages: Bool { anonymousKilobytes == 0 && swapKilobytes == 0 }
    }
}
