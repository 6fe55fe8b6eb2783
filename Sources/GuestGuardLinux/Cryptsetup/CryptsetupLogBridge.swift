import CCryptsetup
import Logging

/// Routes a `crypt_device`'s log callback into swift-log and remembers the last error line.
///
/// libcryptsetup never passes key material to the log callback at the levels we enable (debug
/// output is off: `crypt_set_debug_level` is never raised); JSON debug dumps
/// (`CRYPT_LOG_DEBUG_JSON`) are dropped anyway. The corresponding C function is
/// `crypt_set_log_callback`.
final class CryptsetupLogBridge: @unchecked Sendable {
    let logger: Logger
    let device: String
    private(set) var lastError: String?

    init(logger: Logger, device: String) {
        self.logger = logger
        self.device = device
    }

    func receive(level: Int32, message: String) {
        let text = message.hasSuffix("\n") ? String(message.dropLast()) : message
        switch level {
        case CRYPT_LOG_ERROR:
            lastError = text
            logger.warning("libcryptsetup: \(text)", metadata: ["device": "\(device)"])
        case CRYPT_LOG_NORMAL, CRYPT_LOG_VERBOSE:
            logger.info("libcryptsetup: \(text)", metadata: ["device": "\(device)"])
        case CRYPT_LOG_DEBUG:
            logger.trace("libcryptsetup: \(text)", metadata: ["device": "\(device)"])
        default:
            break  // CRYPT_LOG_DEBUG_JSON and unknown levels
        }
    }

    /// The C callback: non-capturing, finds the bridge through `usrptr`.
    static let callback: @convention(c) (Int32, UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void = { level, message, usrptr in
        guard let usrptr, let message else { return }
        let bridge = Unmanaged<CryptsetupLogBridge>.fromOpaque(usrptr).takeUnretainedValue()
        bridge.receive(level: level, message: String(cString: message))
    }
}
