#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import GuestGuardPlatform
import Logging
import SystemPackage

/// Copies a LUKS2 header into guest memory without `crypt_header_backup`'s full copy of the
/// keyslots area (16 MiB by default, most of it unused): the two binary headers with their JSON
/// areas, then — once libcryptsetup has loaded the copy — only the areas of the copy's active
/// keyslots, into a sparse file of the size `crypt_header_backup` would write.
///
/// Everything libcryptsetup later reads (metadata, keyslot material) comes from the copy; what
/// the copy says is checked before use. A host that changes the disk while this runs can at most
/// produce a copy that fails to load or to open (fail closed): the copy is loaded and validated
/// from its own bytes. When the primary header is unusable (libcryptsetup would fall back to the
/// secondary), callers use `crypt_header_backup` instead.
enum LUKS2HeaderCopy {
    /// LUKS2 `hdr_size` values (binary header + JSON area): 16 KiB … 4 MiB, powers of two.
    static let headerSizes: Set<UInt64> = Set((14...22).map { UInt64(1) << $0 })
    /// LUKS2 caps the keyslots area at 128 MiB.
    static let maximumKeyslotsSize: UInt64 = 128 << 20

    /// Makes the copy at `copyPath` and returns a context loaded from it with the data on `device`.
    static func make(device: String, copyPath: String, logger: Logger) throws(CryptsetupError) -> CryptDevice {
        let source = try descriptor(device, .readOnly)
        defer { try? source.close() }
        let target = try descriptor(copyPath, .readWrite, options: [.create, .exclusiveCreate, .noFollow], permissions: [.ownerReadWrite])
        defer { try? target.close() }

        var binary = [UInt8](repeating: 0, count: 16)
        try readExactly(source, into: &binary, at: 0, path: device)
        guard LUKS2TokenListing.version(prefix: binary[0..<8]) == 2 else {
            throw CryptsetupError(operation: "LUKS2 header copy", device: device, errno: ErrnoName.EINVAL, message: "no LUKS2 magic at offset 0")
        }
        // struct luks2_hdr_disk: hdr_size, big-endian u64 at offset 8.
        let headerSize = binary[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard headerSizes.contains(headerSize) else {
            throw CryptsetupError(operation: "LUKS2 header copy", device: device, errno: ErrnoName.EINVAL, message: "hdr_size \(headerSize) is not a LUKS2 header size")
        }
        try copyRange(from: source, to: target, offset: 0, length: 2 * headerSize, device: device, copy: copyPath)
        // crypt_load wants the metadata device to hold the whole keyslots area, whose size only the
        // JSON states: make room for the largest (sparse: nothing is allocated), trim after loading.
        guard ftruncate(target.rawValue, off_t(2 * headerSize + maximumKeyslotsSize)) == 0 else {
            throw CryptsetupError(operation: "ftruncate", device: copyPath, errno: errno)
        }

        let copy = try CryptDevice(headerPath: copyPath, dataDevice: device, logger: logger)
        try copy.loadLUKS2()
        let sizes = try copy.metadataSize()
        guard sizes.metadata == headerSize, sizes.keyslots <= maximumKeyslotsSize else {
            throw CryptsetupError(operation: "LUKS2 header copy", device: device, errno: ErrnoName.EINVAL,
                                  message: "metadata size \(sizes.metadata) / keyslots size \(sizes.keyslots) disagree with hdr_size \(headerSize)")
        }
        let areaStart = 2 * headerSize, areaEnd = 2 * headerSize + sizes.keyslots
        guard ftruncate(target.rawValue, off_t(areaEnd)) == 0 else { throw CryptsetupError(operation: "ftruncate", device: copyPath, errno: errno) }
        for slot in 0..<32 where copy.keyslotIsActive(slot) {
            let area = try copy.keyslotArea(slot)
            // Areas outside the keyslots area are not copied; the header check refuses them anyway.
            guard area.offset >= areaStart, area.offset <= areaEnd, area.length <= areaEnd - area.offset else { continue }
            try copyRange(from: source, to: target, offset: area.offset, length: area.length, device: device, copy: copyPath)
        }
        return copy
    }

    /// `open` with close-on-exec through swift-system. The corresponding C function is `open`.
    static func descriptor(_ path: String, _ mode: FileDescriptor.AccessMode, options: FileDescriptor.OpenOptions = [],
                           permissions: FilePermissions? = nil) throws(CryptsetupError) -> FileDescriptor {
        do { return try openFile(path, mode, options: options, permissions: permissions) } catch {
            throw CryptsetupError(operation: "open", device: path, errno: error.errno)
        }
    }

    /// Fills `buffer` from `offset` (swift-system's `read(fromAbsoluteOffset:)`, i.e. `pread`).
    static func readExactly(_ fd: FileDescriptor, into buffer: inout [UInt8], at offset: UInt64, path: String) throws(CryptsetupError) {
        let count: Int
        do {
            count = try fd.readFully(fromAbsoluteOffset: Int64(offset), into: &buffer, target: path)
        } catch { throw CryptsetupError(operation: "pread", device: path, errno: error.errno) }
        if count < buffer.count { throw CryptsetupError(operation: "pread", device: path, errno: ErrnoName.EIO, message: "device ends inside the LUKS2 header") }
    }

    /// Copies [offset, offset + length) in 1 MiB chunks. The corresponding C functions are `pread` and `pwrite`.
    static func copyRange(from source: FileDescriptor, to target: FileDescriptor, offset: UInt64, length: UInt64, device: String, copy: String) throws(CryptsetupError) {
        var position = offset
        while position < offset + length {
            var chunk = [UInt8](repeating: 0, count: Int(min(1 << 20, offset + length - position)))
            try readExactly(source, into: &chunk, at: position, path: device)
            do {
                _ = try target.writeAll(toAbsoluteOffset: Int64(position), chunk)
            } catch { throw CryptsetupError(operation: "pwrite", device: copy, errno: (error as? Errno)?.rawValue ?? ErrnoName.EIO) }
            position += UInt64(chunk.count)
        }
    }
}
