#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Key material: held in one allocation locked into RAM (`mlock`, never swapped), overwritten
/// with `explicit_bzero` when released, and never printed (`description` is redacted, so it
/// cannot reach an error message or a log line by accident). Secrets of up to 256 bytes live in
/// a slot of the process's ``LockedSecretArena`` (locked once, excluded from core dumps); larger
/// ones, or any when the arena is full, get their own `mlock`ed allocation.
///
/// A class, not a struct, so there is exactly one copy to wipe. Access the bytes only inside
/// `withUnsafeBytes`, and do not copy them into arrays that outlive the call.
public final class SecretBytes: @unchecked Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    private let pointer: UnsafeMutableRawBufferPointer
    /// Whether `mlock` succeeded (it can fail under RLIMIT_MEMLOCK; the bytes are still wiped).
    public let isLocked: Bool

    public var count: Int { storedCount }

    /// Copies `bytes` into locked memory. The caller should wipe its own copy.
    public init(copying bytes: some Collection<UInt8>) {
        let count = bytes.count
        (pointer, isLocked) = Self.allocate(count: count)
        _ = UnsafeMutableRawBufferPointer(rebasing: pointer[0..<count]).initializeMemory(as: UInt8.self, from: bytes)
        self.storedCount = count
    }

    /// Allocates `count` zeroed, locked bytes.
    public init(zeroedCount count: Int) {
        (pointer, isLocked) = Self.allocate(count: count)
        pointer.initializeMemory(as: UInt8.self, repeating: 0)
        storedCount = count
    }

    /// A slot of the locked arena, or a fresh allocation locked on its own.
    private static func allocate(count: Int) -> (UnsafeMutableRawBufferPointer, locked: Bool) {
        if let slot = LockedSecretArena.shared?.allocate(count: count) { return (slot, true) }
        let pointer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 16)
        return (pointer, mlock(pointer.baseAddress, pointer.count) == 0)
    }

    /// Allocates `count` locked bytes and lets `body` fill them (for reading a key straight from a
    /// file or a C call without an intermediate array). If `body` throws, the bytes are wiped.
    public static func filled(count: Int, _ body: (UnsafeMutableRawBufferPointer) throws -> Void) rethrows -> SecretBytes {
        let secret = SecretBytes(zeroedCount: count)
        try body(UnsafeMutableRawBufferPointer(rebasing: secret.pointer[0..<count]))
        return secret
    }

    private let storedCount: Int

    deinit { Self.wipe(pointer, locked: isLocked) }

    private static func wipe(_ pointer: UnsafeMutableRawBufferPointer, locked: Bool) {
        explicit_bzero(pointer.baseAddress!, pointer.count)
        if let arena = LockedSecretArena.shared, arena.owns(pointer) {
            arena.release(pointer)  // stays locked: the arena's pages are locked for the process's life
            return
        }
        if locked { munlock(pointer.baseAddress, pointer.count) }
        pointer.deallocate()
    }

    /// Runs `body` with the secret bytes.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(rebasing: pointer[0..<storedCount]))
    }

    /// Runs `body` with the secret bytes, writable (for filling in place).
    public func withUnsafeMutableBytes<R, E: Error>(_ body: (UnsafeMutableRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeMutableRawBufferPointer(rebasing: pointer[0..<storedCount]))
    }

    /// Constant-time comparison.
    public func isEqual(to other: SecretBytes) -> Bool {
        guard storedCount == other.storedCount else { return false }
        return withUnsafeBytes { a in
            other.withUnsafeBytes { b in
                var difference: UInt8 = 0
                for index in 0..<a.count { difference |= a[index] ^ b[index] }
                return difference == 0
            }
        }
    }

    public var description: String { "<secret: \(storedCount) bytes>" }
    public var debugDescription: String { description }
}
