/// Symbolic names for Linux x86-64 errno values, so errors read `EACCES` instead of `13`.
public enum ErrnoName {
    /// The Linux errno constants guestguard meets (asm-generic/errno-base.h, errno.h).
    public static let ENOENT: Int32 = 2
    public static let EINTR: Int32 = 4
    public static let EIO: Int32 = 5
    public static let EBADF: Int32 = 9
    public static let EAGAIN: Int32 = 11
    public static let ENOMEM: Int32 = 12
    public static let EACCES: Int32 = 13
    public static let EFAULT: Int32 = 14
    public static let EBUSY: Int32 = 16
    public static let EEXIST: Int32 = 17
    public static let ENODEV: Int32 = 19
    public static let ENOTDIR: Int32 = 20
    public static let EISDIR: Int32 = 21
    public static let EINVAL: Int32 = 22
    public static let ENOTTY: Int32 = 25
    public static let EFBIG: Int32 = 27
    public static let ENOSPC: Int32 = 28
    public static let EPERM: Int32 = 1
    public static let ENXIO: Int32 = 6
    public static let E2BIG: Int32 = 7
    public static let ENOSYS: Int32 = 38
    public static let ENOTEMPTY: Int32 = 39
    public static let ELOOP: Int32 = 40
    public static let ENODATA: Int32 = 61
    public static let ETIMEDOUT: Int32 = 110
    public static let ECONNREFUSED: Int32 = 111
    public static let EOPNOTSUPP: Int32 = 95
    public static let EAFNOSUPPORT: Int32 = 97

    private static let names: [Int32: String] = [
        1: "EPERM", 2: "ENOENT", 3: "ESRCH", 4: "EINTR", 5: "EIO", 6: "ENXIO", 7: "E2BIG", 8: "ENOEXEC",
        9: "EBADF", 10: "ECHILD", 11: "EAGAIN", 12: "ENOMEM", 13: "EACCES", 14: "EFAULT", 16: "EBUSY",
        17: "EEXIST", 18: "EXDEV", 19: "ENODEV", 20: "ENOTDIR", 21: "EISDIR", 22: "EINVAL", 23: "ENFILE",
        24: "EMFILE", 25: "ENOTTY", 26: "ETXTBSY", 27: "EFBIG", 28: "ENOSPC", 29: "ESPIPE", 30: "EROFS",
        31: "EMLINK", 32: "EPIPE", 34: "ERANGE", 36: "ENAMETOOLONG", 38: "ENOSYS", 39: "ENOTEMPTY",
        40: "ELOOP", 61: "ENODATA", 62: "ETIME", 71: "EPROTO", 74: "EBADMSG", 75: "EOVERFLOW",
        95: "EOPNOTSUPP", 97: "EAFNOSUPPORT", 98: "EADDRINUSE", 99: "EADDRNOTAVAIL", 100: "ENETDOWN",
        101: "ENETUNREACH", 103: "ECONNABORTED", 104: "ECONNRESET", 110: "ETIMEDOUT", 111: "ECONNREFUSED",
        113: "EHOSTUNREACH", 115: "EINPROGRESS", 125: "ECANCELED", 126: "ENOKEY", 127: "EKEYEXPIRED",
        128: "EKEYREVOKED", 129: "EKEYREJECTED",
    ]

    /// `ENOENT` for 2; `errno N` when unnamed here.
    public static func name(_ value: Int32) -> String { names[value] ?? "errno \(value)" }
}
