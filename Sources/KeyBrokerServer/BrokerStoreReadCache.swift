import GuestGuardPlatform
import Synchronization

/// What ``BrokerStore`` last read of each file it reads on every handshake (the policy generation,
/// a policy text, a key), served again while one `stat(2)` of the path finds the same file: same
/// device, inode, size, modification and change times (nanoseconds). Every write of the store
/// (`guestguard-broker key|policy …`, in this process or another) renames a new file over the old
/// one, so the next request sees a new inode and reads the file again; an edit in place changes
/// the times or the size. Anything else (the path gone, a link, a failed `stat`) reads the file as
/// before, without the cache.
///
/// Keys stay in ``SecretBytes`` (locked, wiped when dropped); callers get their own copy.
final class BrokerStoreReadCache: Sendable {
    /// The `stat(2)` facts that identify one version of a file's contents.
    struct Signature: Hashable {
        let device: DeviceNumber
        let inode: UInt64
        let size: Int64
        let modified: Int64
        let changed: Int64

        /// nil for anything but a regular file with an inode (a fake file system reports inode 0).
        init?(_ status: FileStatus) {
            guard status.kind == .regular, status.inode != 0 else { return nil }
            (device, inode, size, modified, changed) =
                (status.device, status.inode, status.size, status.modifiedNanoseconds, status.changedNanoseconds)
        }
    }

    enum Contents {
        case text(String)
        case secret(SecretBytes)
    }

    /// More entries than this (resources come and go) and the cache starts over.
    static let capacity = 1024

    private let entries = Mutex<[String: (signature: Signature, contents: Contents)]>([:])

    init() {}

    /// The cached contents of `path` when `status` still names the file they were read from.
    func contents(of path: String, status: FileStatus) -> Contents? {
        guard let signature = Signature(status) else { return nil }
        return entries.withLock { entries in
            guard let entry = entries[path] else { return nil }
            guard entry.signature == signature else {
                entries[path] = nil
                return nil
            }
            return entry.contents
        }
    }

    /// Remembers `contents`, read after `stat` returned `status` (a file replaced between the two
    /// leaves newer contents under the older signature: the next `stat` differs and reads again).
    func remember(_ contents: Contents, of path: String, status: FileStatus) {
        guard let signature = Signature(status) else { return }
        entries.withLock { entries in
            if entries.count >= Self.capacity, entries[path] == nil { entries.removeAll() }
            entries[path] = (signature, contents)
        }
    }

    /// Forgets `path` (the store wrote or removed it).
    func forget(_ path: String) {
        _ = entries.withLock { $0.removeValue(forKey: path) }
    }
}
