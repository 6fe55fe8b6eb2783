import CanonicalJSON
import GuestGuardPlatform

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
        case broker(@Sendable (GuestGuardToken) async throws -> SecretBytes)
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

    /// What was unlocked.
    public struct Outcome: Sendable {
        public let keyslot: Int?
        public let token: GuestGuardToken?
    }

    /// Unlocks `device` as `name` (nil: verify that the key opens it, without activating).
    public func unlock(device: String, name: String?, keySource: KeySource) async throws(UnlockError) -> Outcome {
        let copy: String
        do {
            try files.createDirectory(copyDirectory, mode: 0o700)
            copy = "\(copyDirectory)/header-\(Hex.encode(try random.bytes(8))).img"
        } catch { throw .key("cannot prepare \(copyDirectory): \(error)") }
        defer { try? files.remove(copy) }
        let volume: any LUKSVolume
        do { volume = try volumes.openHeaderCopy(device: device, copyPath: copy) } catch { throw .volume(error) }

        var found: (id: Int, token: GuestGuardToken)?
        for id in 0..<32 {
            let text: String?
            do { text = try volume.tokenJSON(id) } catch { throw .volume(error) }
            guard let text, text.contains("\"guestguard\"") else { continue }
            do { found = (id, try GuestGuardToken(jsonText: text)) } catch { throw .badToken(device: device, reason: error.description) }
            break
        }
        let metadata: JSONValue
        // LUKS2 JSON areas reach 4 MiB; libcryptsetup already parsed and bounded this text.
        let limits = JSONParser.Limits(maxBytes: 4 << 20 + 4096, maxDepth: 32, maxStringBytes: 1 << 20)
        do { metadata = try JSONParser.parse(Array(try volume.metadataJSON().utf8), limits: limits) } catch let error as LUKSVolumeError {
            throw .volume(error)
        } catch { throw .metadata(device: device, reason: "\(error)") }
        let violations = headerCheck.violations(metadata: metadata, guestguardToken: found?.id)
        guard violations.isEmpty else { throw .headerRefused(device: device, violations: violations) }

        let key: SecretBytes
        switch keySource {
        case .launchSecret(let secret):
            do { key = try secret.take() } catch { throw .key(error.description) }
        case .broker(let fetch):
            guard let token = found?.token else { throw .noToken(device: device) }
            do { key = try await fetch(token) } catch { throw .key("\(error)") }
        }
        do { try volume.activate(name: name, key: key, keyslot: found?.token.keyslot) } catch { throw .volume(error) }
        return Outcome(keyslot: found?.token.keyslot, token: found?.token)
    }
}

import SNPABI
