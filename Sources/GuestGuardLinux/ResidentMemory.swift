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
    /// (issue 14: `guestguard serve` RSS). Pages other processes map too (libc) stay. Writable and anonymous
    /// mappings are not touched, so nothing that holds state is affected. Returns the bytes advised; best effort
    /// (a kernel before 5.4 has no `MADV_PAGEOUT` and keeps the pages).
    /// The corresponding C functions are `madvise(MADV_RANDOM)` and `madvise(MADV_PAGEOUT)` over the ranges
    /// `/proc/self/maps` lists.
    @discardableResult
    public static func releaseReadOnlyFilePages(maps: String = "/proc/self/maps") -> Int {
        guard let text = try? HostFileSystem().readFile(maps, limit: 4 << 20) else { return 0 }
        var advised = 0
        for line in String(decoding: text, as: UTF8.self).split(separator: "\n") {
            guard let mapping = Mapping(line), mapping.isReadOnlyFile else { continue }
            guard let start = UnsafeMutableRawPointer(bitPattern: mapping.start) else { continue }
            let length = Int(mapping.end - mapping.start)
            // No readahead from here on, so a later fault brings back its own page, not a window of neighbours.
            _ = madvise(start, length, MADV_RANDOM)
            if madvise(start, length, 21 /* MADV_PAGEOUT */) == 0 { advised += length }
        }
        return advised
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
    }
}
