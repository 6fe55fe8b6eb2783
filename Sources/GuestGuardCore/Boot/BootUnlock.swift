import GuestGuardPlatform

/// The boot-time policy around unlocking the root volume(s): bounded attempts with exponential
/// backoff, one console line per failure (its reason; never a key), and power-off when the
/// budget is spent. There is no path to a shell: the only outcomes are "unlocked" and "powered off".
///
/// A refused header, a volume the configuration does not name and a pre-existing mapping are not
/// retried (``UnlockError/isPermanent``: the disk will not change by waiting); a missing broker, a
/// refused attestation, a key that does not open the keyslot or an expected volume not there yet
/// are, up to ``RetryPolicy/attempts``.
///
/// ```swift
/// let boot = BootUnlock(retries: config.retries, clock: SystemClock(), power: RebootPowerControl()) { print($0) }
/// switch boot.run(expectedRoot: "/dev/mapper/root", attempt: { plan.run(naming: .systemd, keySource: source) }) { … }
/// ```
public struct BootUnlock: Sendable {
    public let retries: RetryPolicy
    public let clock: any WallClock
    public let power: any PowerControl
    /// Writes one line to the console (the caller adds the newline).
    public let console: @Sendable (String) -> Void

    public init(retries: RetryPolicy, clock: any WallClock, power: any PowerControl, console: @escaping @Sendable (String) -> Void) {
        self.retries = retries
        self.clock = clock
        self.power = power
        self.console = console
    }

    public enum Outcome: Sendable {
        /// Every volume unlocked (or already active); the results of the successful attempt.
        case unlocked(attempts: Int, results: [VolumeUnlockResult])
        /// Power-off was requested; carries the error if the platform returned (tests: nil).
        case poweredOff(attempts: Int, powerError: PlatformError?)
    }

    /// Runs `attempt` until every volume it reports is unlocked, at most `retries.attempts` times.
    /// With `expectedRoot` (the initramfs' `ROOT`), success also requires that it names one of
    /// the mappings just made (`/dev/mapper/<name>`): a host-supplied `root=` cannot point the boot
    /// at a disk guestguard did not unlock.
    public func run(expectedRoot: String? = nil, attempt: @Sendable () -> [VolumeUnlockResult]) -> Outcome {
        let total = retries.attempts
        for number in 1...total {
            let results = attempt()
            let prefix = "guestguard: attempt \(number)/\(total):"
            var permanent: UnlockError?
            if results.isEmpty {
                console("\(prefix) no block device carries a guestguard token")
            }
            for result in results {
                guard case .failed(let error) = result.status else { continue }
                let reason = Self.reason(error)
                console(reason.hasPrefix(result.device + ":") ? "\(prefix) \(reason)" : "\(prefix) \(result.device): \(reason)")
                if error.isPermanent, permanent == nil { permanent = error }
            }
            if !results.isEmpty, results.allSatisfy(\.succeeded) {
                if let expectedRoot, !results.contains(where: { $0.name.map { "/dev/mapper/\($0)" } == expectedRoot }) {
                    console("guestguard: root \(expectedRoot) is not a volume guestguard unlocked; refusing to boot it")
                    return powerOff(attempts: number)
                }
                return .unlocked(attempts: number, results: results)
            }
            if let permanent {
                if case .headerRefused = permanent {
                    console("guestguard: the LUKS2 header was refused; not retrying")
                } else {
                    console("guestguard: a volume or mapping the configuration does not expect is present; not retrying")
                }
                return powerOff(attempts: number)
            }
            if number < total {
                clock.sleep(for: retries.delay(afterAttempt: number))
            }
        }
        return powerOff(attempts: total)
    }

    func powerOff(attempts: Int) -> Outcome {
        console("guestguard: root not unlocked after \(attempts) attempt\(attempts == 1 ? "" : "s"); powering off")
        let error = power.powerOff()
        if let error { console("guestguard: power-off failed: \(error)") }
        return .poweredOff(attempts: attempts, powerError: error)
    }

    /// One line: the error's description without newlines (console lines stay one per failure).
    static func reason(_ error: UnlockError) -> String {
        String(error.description.map { $0 == "\n" || $0 == "\r" ? " " : $0 })
    }
}
