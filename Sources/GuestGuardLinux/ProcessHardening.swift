import CGuestGuardLinux
import GuestGuardPlatform

/// Process-wide protections a command takes before any key material exists.
public enum ProcessHardening {
    /// Marks the process non-dumpable: no core file, no `ptrace` attach and no `/proc/PID/mem`
    /// for anyone but root, so key material cannot leave through a crash dump. Throws when the
    /// kernel refuses or the flag does not read back as 0: a command that handles a key must not
    /// go on dumpable. The corresponding C function is `prctl(PR_SET_DUMPABLE, 0)`.
    public static func setNondumpable() throws(PlatformError) {
        try setNondumpable(set: guestguard_set_nondumpable, get: guestguard_get_dumpable)
    }

    /// `set` returns 0 or -errno (the shim's convention); `get` is `prctl(PR_GET_DUMPABLE)`.
    static func setNondumpable(set: () -> Int32, get: () -> Int32) throws(PlatformError) {
        let result = set()
        guard result == 0 else { throw PlatformError(operation: "prctl(PR_SET_DUMPABLE, 0)", errno: result < 0 ? -result : ErrnoName.EIO) }
        let readBack = get()
        guard readBack == 0 else {
            throw PlatformError(operation: "prctl(PR_GET_DUMPABLE)", errno: readBack < 0 ? ErrnoName.EIO : 0,
                                detail: "the process is still dumpable (\(readBack)) after PR_SET_DUMPABLE 0")
        }
    }
}
