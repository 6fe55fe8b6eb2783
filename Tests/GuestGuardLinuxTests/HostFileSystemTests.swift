#if canImport(Glibc)
import Glibc
#endif
import GuestGuardLinux
import GuestGuardPlatform
import GuestGuardTestSupport
import Testing

@Suite struct HostFileSystemTests {
    @Test func atomicWriteReplacesWithMode() throws {
        let tree = TemporaryFileTree()
        let files = tree.fileSystem
        try files.createDirectory("/etc/guestguard/keys", mode: 0o700)
        try files.writeFile("/etc/guestguard/keys/a", bytes: Array("one".utf8), mode: 0o600)
        try files.writeFile("/etc/guestguard/keys/a", bytes: Array("two".utf8), mode: 0o600)
        #expect(try files.readText("/etc/guestguard/keys/a") == "two")
        let status = try #require(try files.status("/etc/guestguard/keys/a"))
        #expect(status.permissions == 0o600)
        #expect(try files.listDirectory("/etc/guestguard/keys") == ["a"], "no temporary file left behind")
        try files.remove("/etc/guestguard/keys/a")
        try files.remove("/etc/guestguard/keys")
        #expect(!files.exists("/etc/guestguard/keys"))
    }

    @Test func pathsCannotClimbOutOfTheRoot() throws {
        let tree = TemporaryFileTree()
        tree.write("/inside", "x")
        #expect(tree.fileSystem.hostPath("/../../etc/passwd") == tree.root + "/etc/passwd")
        #expect(try tree.fileSystem.readText("/a/../../inside") == "x")
    }

    @Test func boundedReadsAndErrorsNameThePath() throws {
        let tree = TemporaryFileTree()
        tree.write("/big", String(repeating: "y", count: 5000))
        let error = try #require(throws: PlatformError.self) { try tree.fileSystem.readFile("/big", limit: 4096) }
        #expect(error.errno == ErrnoName.EFBIG)
        let missing = try #require(throws: PlatformError.self) { try tree.fileSystem.readFile("/nope", limit: 10) }
        #expect(missing.description.contains("/nope"))
        #expect(missing.description.contains("ENOENT"))
        #expect(throws: PlatformError.self) { try tree.fileSystem.writeAttribute("/missing-attr", bytes: [1]) }
    }

    /// Regular files are read in one sized read or mapped; files whose size the kernel reports as 0
    /// (procfs) still read to EOF; both paths honour the limit and name the path.
    @Test func sizedReadsAndMappedContents() throws {
        let tree = TemporaryFileTree()
        let bytes = (0..<300_001).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        tree.write("/blob", bytes: bytes)
        tree.write("/empty", bytes: [])
        let files = tree.fileSystem
        #expect(try files.readFile("/blob", limit: bytes.count) == bytes)
        #expect(try files.withContents(of: "/blob", limit: bytes.count) { Array($0) } == bytes)
        #expect(try files.withContents(of: "/empty", limit: 10) { $0.count } == 0)
        let mappedTooBig = try #require(throws: PlatformError.self) { try files.withContents(of: "/blob", limit: bytes.count - 1) { $0.count } }
        #expect(mappedTooBig.errno == ErrnoName.EFBIG && mappedTooBig.description.contains("/blob"))
        let readTooBig = try #require(throws: PlatformError.self) { try files.readFile("/blob", limit: bytes.count - 1) }
        #expect(readTooBig.errno == ErrnoName.EFBIG)
        let procStatus = try HostFileSystem().readText("/proc/self/status", limit: 1 << 16)
        #expect(procStatus.contains("Name:") && procStatus.hasSuffix("\n"))
        #expect(try HostFileSystem().withContents(of: "/proc/self/status", limit: 1 << 16) { String(decoding: $0, as: UTF8.self) }.contains("Name:"))
        let directory = try #require(throws: PlatformError.self) { try files.withContents(of: "/", limit: 10) { $0.count } }
        #expect(directory.description.contains("EISDIR"))
    }
}

/// `hostPath` skips resolving paths that are already normal; the rest are resolved as before.
@Suite struct HostPathTests {
    @Test func normalAndUnusualPathsMapUnderTheRoot() {
        let files = HostFileSystem(root: "/srv/tree/")
        let cases: [(String, String)] = [
            ("/a/b", "/srv/tree/a/b"), ("/", "/srv/tree/"), ("/a/./b", "/srv/tree/a/b"), ("/a//b", "/srv/tree/a/b"),
            ("/a/b/", "/srv/tree/a/b"), ("a/b", "/srv/tree/a/b"), ("/.hidden/x", "/srv/tree/.hidden/x"),
            ("/a/../../etc/passwd", "/srv/tree/etc/passwd"), ("/a/..", "/srv/tree/"), ("", "/srv/tree/"), ("/a.b/c..d", "/srv/tree/a.b/c..d"),
        ]
        for (path, expected) in cases { #expect(files.hostPath(path) == expected, "\(path)") }
    }
}
