#if canImport(Glibc)
import Glibc
#endif
@testable import GuestGuardPlatform
import GuestGuardLinux
import Testing

/// Where ``SecretBytes`` keeps key material: the process's locked arena, checked against what
/// the kernel reports for the mapping (`/proc/self/smaps`), and what is left in a slot after release.
@Suite(.serialized) struct LockedSecretArenaTests {
    /// The `/proc/self/smaps` block of the mapping that contains `address`.
    static func smapsBlock(containing address: UnsafeRawPointer) throws -> [Substring] {
        let target = UInt(bitPattern: address)
        var block: [Substring] = []
        var inside = false
        for line in try HostFileSystem().readText("/proc/self/smaps").split(separator: "\n") {
            let range = line.split(separator: " ", maxSplits: 1).first?.split(separator: "-") ?? []
            if range.count == 2, let start = UInt(range[0], radix: 16), let end = UInt(range[1], radix: 16) {
                if inside { break }
                inside = start <= target && target < end
            }
            if inside { block.append(line) }
        }
        return block
    }

    @Test func smallSecretsLiveInTheLockedNoDumpArena() throws {
        let arena = try #require(LockedSecretArena.shared, "the arena could be mapped and locked (RLIMIT_MEMLOCK ≥ 64 KiB)")
        let secret = SecretBytes(copying: Array(repeating: UInt8(0xA5), count: 64))
        #expect(secret.isLocked)
        #expect(secret.count == 64)
        let base = try #require(secret.withUnsafeBytes { UnsafeMutableRawPointer(mutating: $0.baseAddress) })
        #expect(arena.owns(UnsafeMutableRawBufferPointer(start: base, count: 64)))
        // The kernel's view of the arena's mapping: all of it locked, and marked "dd" (not dumped).
        let block = try Self.smapsBlock(containing: base)
        #expect(!block.isEmpty, "no mapping found for the arena")
        let locked = block.first { $0.hasPrefix("Locked:") }.map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        #expect(locked.map { Int($0[1]) ?? 0 } ?? 0 >= (LockedSecretArena.slotSize * LockedSecretArena.slotCount) / 1024)
        let flags = block.first { $0.hasPrefix("VmFlags:") }?.split(separator: " ") ?? []
        #expect(flags.contains("lo"), "the arena is mlocked")
        #expect(flags.contains("dd"), "the arena is excluded from core dumps")
    }

    @Test func aReleasedSlotIsWiped() throws {
        let arena = try #require(LockedSecretArena.shared)
        let pattern = [UInt8](repeating: 0x5A, count: 200)
        var address: UnsafeMutableRawPointer?
        do {
            let secret = SecretBytes(copying: pattern)
            address = secret.withUnsafeBytes { UnsafeMutableRawPointer(mutating: $0.baseAddress) }
            #expect(arena.owns(UnsafeMutableRawBufferPointer(start: address, count: 200)))
            #expect(secret.withUnsafeBytes { $0.elementsEqual(pattern) })
        }
        // The arena stays mapped, so the slot can be read after release: every byte is zero.
        let slot = UnsafeRawBufferPointer(start: try #require(address), count: LockedSecretArena.slotSize)
        #expect(slot.allSatisfy { $0 == 0 })
    }

    @Test func largeSecretsAndAFullArenaFallBackToTheirOwnLockedAllocation() throws {
        let arena = try #require(LockedSecretArena.shared)
        let large = SecretBytes(copying: Array(repeating: UInt8(7), count: 4096))
        #expect(large.isLocked)
        #expect(large.count == 4096)
        #expect(!arena.owns(large.withUnsafeBytes { UnsafeMutableRawBufferPointer(mutating: $0) }))
        #expect(large.withUnsafeBytes { $0.allSatisfy { $0 == 7 } })
        // Take every slot: the next small secret is still locked and correct, outside the arena.
        var taken: [UnsafeMutableRawBufferPointer] = []
        while let slot = arena.allocate(count: 16) { taken.append(slot) }
        defer { taken.forEach(arena.release) }
        let overflow = SecretBytes(copying: [1, 2, 3])
        #expect(overflow.isLocked)
        #expect(!arena.owns(overflow.withUnsafeBytes { UnsafeMutableRawBufferPointer(mutating: $0) }))
        #expect(overflow.withUnsafeBytes { Array($0) } == [1, 2, 3])
        #expect(SecretBytes(copying: [UInt8]()).count == 0)
    }
}
