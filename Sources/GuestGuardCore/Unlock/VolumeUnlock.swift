import CanonicalJSON
import GuestGuardPlatform
import SNPABI

/// Unlocks a LUKS2 volume the host controls, in an order that never trusts the disk:
/// copy the header into guest memory (tmpfs); read the `guestguard` token and validate the whole
/// header from that copy; only then obtain the key (broker or launch secret) and open the token's
/// keyslot through the copy; finally wipe the copy. The key stays in `SecretBytes`.
public struct VolumeUnlock: Sendable {
    /// Where the key comes from.
    public enum KeySource: Sendable {
        /// The injected SEV/SEV-ES launch secret (any keyslot it opens; the token's if there is one).
        case launchSecret(LaunchSecret)
        /// The key broker named by the token (after the header check).
        case broker(@Sendable (GuestGuardToken) throws -> SecretBytes)
    }

    public let volumes: any LUKSVolumeOpener
    public let headerCheck: any LUKS2HeaderCheck
    public let files: any FileSystem
    public let random: any RandomSource
    /// A tmpfs directory for header copies (`/run/guestguard`): a real path, since libcryptsetup
    /// writes the copy itself; `files` must address the same tree (the real root in production).
    public let copyDirectory: String

    public init(volumes: any LUKSVolumeOpener, headerCheck: any LUKS2HeaderCheck, files: any FileSystem, random: any RandomSource,
                copyDirectory: String = "/run/guestguard")
    {
        self.volumes = volumes
        self.headerCheck = headerCheck
        self.files = files
        self.random = random
        self.copyDirectory = copyDirectory
    }

    /// What was unlocked, and how long each phase took.
    public struct Outcome: Sendable {
        public let keyslot: Int?
        public let token: GuestGuardToken?
        public let timings: UnlockTimings
    }

    /// Unlocks `device` as `name` (nil: verify that the key opens it, without activating). With
    /// `expected`, the header copy must be that volume (UUID, and the volume-key digest when
    /// pinned) before anything else is looked at: another volume is refused without a key request.
    public func unlock(device: String, name: String?, keySource: KeySource, expected: ExpectedVolume? = nil) throws(UnlockError) -> Outcome {
        var timings = UnlockTimings()
        var mark = MonotonicInstant.now
        func lap() -> Duration {
            let now = MonotonicInstant.now
            defer { mark = now }
            return now - mark
        }
        let copy: String
        do {
            try files.createDirectory(copyDirectory, mode: 0o700)
            copy = "\(copyDirectory)/header-\(Hex.encode(try random.bytes(8))).img"
        } catch { throw .key("cannot prepare \(copyDirectory): \(error)") }
        defer { try? files.remove(copy) }
        let volume: any LUKSVolume
        do { volume = try volumes.openHeaderCopy(device: device, copyPath: copy) } catch { throw .volume(error) }
        timings.headerCopy = lap()

        var found: (id: Int, token: GuestGuardToken)?
        let tokens: [(id: Int, text: String)]
        do { tokens = try volume.guestguardTokens() } catch { throw .volume(error) }
        if tokens.count > 1 {
            throw .badToken(device: device, reason: "several guestguard tokens (\(tokens.map { String($0.id) }.joined(separator: ", "))): refusing to guess")
        }
        if let first = tokens.first {
            do { found = (first.id, try GuestGuardToken(jsonText: first.text)) } catch { throw .badToken(device: device, reason: error.description) }
        }
        let metadata = try volume.parsedMetadata(device: device)
        if let expected, let reason = expected.mismatch(uuid: volume.uuid, metadata: metadata) {
            throw .unexpectedVolume(device: device, uuid: volume.uuid ?? "(none)", reason: reason)
        }
        let violations = headerCheck.violations(metadata: metadata, guestguardToken: found?.id)
        guard violations.isEmpty else { throw .headerRefused(device: device, violations: violations) }
        timings.headerCheck = lap()

        let key: SecretBytes
        switch keySource {
        case .launchSecret(let secret):
            do { key = try secret.take() } catch { throw .key(error.description) }
        case .broker(let fetch):
            guard let token = found?.token else { throw .noToken(device: device) }
            do { key = try fetch(token) } catch { throw .key("\(error)") }
        }
        timings.keyFetch = lap()
        do { try volume.activate(name: name, key: key, keyslot: found?.token.keyslot) } catch { throw .volume(error) }
        timings.keyslotOpen = lap()
        return Outcome(keyslot: found?.token.keyslot, token: found?.token, timings: timings)
    }
}

