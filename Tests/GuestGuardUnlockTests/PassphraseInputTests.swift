#if canImport(Glibc)
import Glibc
#endif
import GuestGuardLinux
import GuestGuardPlatform
import GuestGuardTestSupport
import Testing

/// The existing passphrase for `enroll`: a key file taken whole, or one line from a terminal with
/// echo off (a real pseudo-terminal here).
@Suite struct PassphraseInputTests {
    let tree = TemporaryFileTree(prefix: "guestguard-passphrase")

    func text(_ secret: SecretBytes) -> String { secret.withUnsafeBytes { String(decoding: $0, as: UTF8.self) } }

    @Test func keyFileIsTakenWholeTrailingNewlineIncluded() throws {
        tree.write("/key", "correct horse\n")
        #expect(text(try PassphraseInput.keyFile(tree.root + "/key")) == "correct horse\n")
    }

    @Test(arguments: [0, PassphraseInput.maximumBytes + 1])
    func emptyOrOversizedKeyFilesAreRefused(size: Int) {
        tree.write("/key", bytes: [UInt8](repeating: 0x41, count: size))
        #expect(throws: PlatformError.self) { try PassphraseInput.keyFile(tree.root + "/key") }
    }

    @Test func missingKeyFileNamesThePath() {
        #expect { try PassphraseInput.keyFile(tree.root + "/absent") } throws: { "\($0)".contains("/absent") }
    }

    @Test func promptReadsOneLineWithoutEchoingIt() async throws {
        // posix_openpt/unlockpt/ptsname by hand: /dev/ptmx, TIOCSPTLCK(0), TIOCGPTN (asm-generic/ioctls.h).
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        try #require(master >= 0)
        defer { close(master) }
        var unlock: CInt = 0, number: CUnsignedInt = 0
        try #require(ioctl(master, 0x4004_5431, &unlock) == 0)
        try #require(ioctl(master, 0x8004_5430, &number) == 0)
        let slave = "/dev/pts/\(number)"
        let reading = Task.detached { () throws -> String in
            let secret = try PassphraseInput.prompt("Passphrase: ", terminal: slave)
            return secret.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
        }
        // Wait for the prompt (written after echo is switched off), then type.
        var shown = ""
        var buffer = [UInt8](repeating: 0, count: 256)
        while !shown.contains("Passphrase: ") {
            let count = read(master, &buffer, buffer.count)
            try #require(count > 0)
            shown += String(decoding: buffer[0..<count], as: UTF8.self)
        }
        _ = "hunter2 is typed\n".withCString { write(master, $0, strlen($0)) }
        #expect(try await reading.value == "hunter2 is typed")
        var pollable = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        while poll(&pollable, 1, 200) > 0 {
            let count = read(master, &buffer, buffer.count)
            if count <= 0 { break }
            shown += String(decoding: buffer[0..<count], as: UTF8.self)
        }
        #expect(!shown.contains("hunter2"), "the terminal did not echo the passphrase: \(shown)")
    }
}
