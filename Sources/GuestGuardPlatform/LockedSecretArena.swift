#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Synchronization

/// Locked memory for small secrets: one anonymous mapping, locked into RAM once (`mlock`) and
/// excluded from core dumps (`madvise(MADV_DONTDUMP)`), carved into fixed-size slots that
/// ``SecretBytes`` takes and gives back.
///
/// Why: a key broker makes several secrets per handshake (the resource key, the JWE's content
/// key). Locking each one costs an `mlock` and a `munlock`, both of which take the process's
/// mmap write lock, and `munlock` works on whole pages, so releasing one secret unlocked the page
/// another secret still lived on. Slots in one locked mapping cost neither, and no slot is ever
/// unlocked while the arena lives (it lives as long as the process).
///
/// A slot is wiped (`explicit_bzero`) by ``SecretBytes`` before it is given back. When the arena
/// is full, or a secret is larger than a slot, or the mapping could not be locked (RLIMIT_MEMLOCK),
/// ``SecretBytes`` falls back to its own locked allocation.
final class LockedSecretArena: @unchecked Sendable {
    /// Bytes per slot: every key guestguard handles on a hot path (AES keys, LUKS keys of up to
    /// 256 bytes, HMAC secrets) fits in one.
    static let slotSize = 256
    /// 256 slots: 64 KiB, far below the usual RLIMIT_MEMLOCK (8 MiB; 64 KiB on old systems).
    static let slotCount = 256

    /// The process's arena, mapped and locked at first use; nil when it cannot be both.
    static let shared: LockedSecretArena? = LockedSecretArena(slotSize: slotSize, slotCount: slotCount)

    private let base: UnsafeMutableRawPointer
    private let byteCount: Int
    let slotSize: Int
    /// Indices of the free slots (a stack: the most recently freed, still cached, goes out first).
    private let free: Mutex<[Int]>

    /// Maps, locks and marks `slotCount × slotSize` bytes; nil if any step fails (nothing is kept).
    init?(slotSize: Int, slotCount: Int) {
        precondition(slotSize > 0 && slotSize % 16 == 0 && slotCount > 0, "slots must be positive multiples of 16 bytes")
        let byteCount = slotSize * slotCount
        guard let mapped = mmap(nil, byteCount, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), mapped != MAP_FAILED else {
            return nil
        }
        guard mlock(mapped, byteCount) == 0 else {
            munmap(mapped, byteCount)
            return nil
        }
        _ = madvise(mapped, byteCount, MADV_DONTDUMP)  // best effort: older kernels lack it
        base = mapped
        self.byteCount = byteCount
        self.slotSize = slotSize
        free = Mutex(Array((0..<slotCount).reversed()))
    }

    /// A free slot of `slotSize` bytes, or nil when `count` does not fit or none is free.
    func allocate(count: Int) -> UnsafeMutableRawBufferPointer? {
        guard count <= slotSize, let index = free.withLock({ $0.popLast() }) else { return nil }
        return UnsafeMutableRawBufferPointer(start: base + index * slotSize, count: slotSize)
    }

    /// Whether `pointer` is one of this arena's slots.
    func owns(_ pointer: UnsafeMutableRawBufferPointer) -> Bool {
        guard let address = pointer.baseAddress else { return false }
        return address >= base && address < base + byteCount
    }

    /// Gives a slot back; the caller has wiped it.
    func release(_ pointer: UnsafeMutableRawBufferPointer) {
        let index = (pointer.baseAddress! - base) / slotSize
        free.withLock { $0.append(index) }
    }

    /// Slots free right now.
    var freeCount: Int { free.withLock { $0.count } }
}
