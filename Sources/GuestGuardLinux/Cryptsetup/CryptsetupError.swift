import GuestGuardPlatform

/// A libcryptsetup call that failed: the operation (the C function), the device, and the errno
/// from its negative return value, plus the last error line libcryptsetup logged.
public struct CryptsetupError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The C function, e.g. `crypt_activate_by_passphrase`.
    public let operation: String
    public let device: String
    /// Positive errno (libcryptsetup returns `-errno`).
    public let errno: Int32
    /// The last message libcryptsetup logged at error level for this device, if any.
    public let message: String?

    public init(operation: String, device: String, errno: Int32, message: String? = nil) {
        self.operation = operation
        self.device = device
        self.errno = errno
        self.message = message
    }

    public var errnoName: String { ErrnoName.name(errno) }

    public var description: String {
        var text = "\(operation) on \(device): \(errnoName)"
        if errno == ErrnoName.EPERM && operation.hasPrefix("crypt_activate") { text += " (no keyslot opens with this key)" }
        if let message { text += " — libcryptsetup: \(message)" }
        return text
    }
}
