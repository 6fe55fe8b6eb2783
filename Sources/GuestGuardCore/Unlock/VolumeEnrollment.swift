import CanonicalJSON
import GuestGuardPlatform

/// Adds the broker's key to an existing LUKS2 volume and records where to get it in a
/// `guestguard` token — idempotently:
///
/// 1. The header (on the device) must pass the header check: unlocking would refuse it otherwise.
/// 2. The key is obtained (attestation + broker) only then.
/// 3. If the key already opens the keyslot our token names (or, without a token, any keyslot),
///    that keyslot is kept and only the token is rewritten, and only if it differs.
/// 4. Otherwise an existing passphrase authorises a new keyslot for the key (PBKDF2, 1000
///    iterations: the key is high-entropy), the token is pointed at it, and only then the
///    previous keyslot of our token is destroyed — unless the given passphrase opens it.
public struct VolumeEnrollment: Sendable {
    public let volumes: any LUKSVolumeOpener
    public let headerCheck: any LUKS2HeaderCheck

    public init(volumes: any LUKSVolumeOpener, headerCheck: any LUKS2HeaderCheck) {
        self.volumes = volumes
        self.headerCheck = headerCheck
    }

    /// What enrolment changed.
    public enum Change: Sendable, Hashable {
        /// The key already opened our keyslot and the token was already right: nothing written.
        case unchanged
        /// The key already opened a keyslot; the token was written or corrected.
        case tokenWritten
        /// A new keyslot and a token were added.
        case keyslotAdded
        /// A new keyslot replaced `old` (the broker's key changed); the token now names the new one.
        case keyslotReplaced(old: Int)
    }

    public struct Outcome: Sendable, Hashable {
        public let keyslot: Int
        public let tokenID: Int
        public let change: Change
    }

    /// Enrols `device`. `token` gives the resource (its `keyslot` is ignored; brokers are never recorded);
    /// `brokerKey` is called once, after the header check; `existingPassphrase` only when a new
    /// keyslot is needed.
    public func enroll(device: String, token: GuestGuardToken, brokerKey: () throws -> SecretBytes,
                       existingPassphrase: () throws -> SecretBytes) throws(EnrollmentError) -> Outcome
    {
        let volume: any LUKSEditableVolume
        do { volume = try volumes.openForEditing(device: device) } catch { throw .volume(error) }
        let metadata: JSONValue
        do { metadata = try volume.parsedMetadata(device: device) } catch { throw EnrollmentError(error) }
        let violations = headerCheck.violations(metadata: metadata, guestguardToken: nil)
        guard violations.isEmpty else { throw .headerRefused(device: device, violations: violations) }
        let tokens: [(id: Int, text: String)]
        do { tokens = try volume.guestguardTokens() } catch { throw .volume(error) }
        guard tokens.count <= 1 else { throw .severalTokens(device: device, ids: tokens.map(\.id)) }
        let existing = tokens.first.map { (id: $0.id, token: try? GuestGuardToken(jsonText: $0.text)) }

        let key: SecretBytes
        do { key = try brokerKey() } catch { throw .key("\(error)") }

        var slot: Int?
        do {
            if let previous = existing?.token?.keyslot { slot = try volume.keyslotOpened(by: key, keyslot: previous) }
            if slot == nil { slot = try volume.keyslotOpened(by: key, keyslot: nil) }
        } catch { throw .volume(error) }

        var change: Change = .tokenWritten
        var replaced: Int?
        if slot == nil {
            let passphrase: SecretBytes
            do { passphrase = try existingPassphrase() } catch { throw .passphrase("\(error)") }
            do { slot = try volume.addKeyslot(.machineKey, key: key, authorizedBy: passphrase) } catch {
                if error.errno == ErrnoName.EPERM { throw .wrongPassphrase(device: device) }
                throw .volume(error)
            }
            change = .keyslotAdded
            if let previous = existing?.token?.keyslot, previous != slot {
                // Never destroy a keyslot the person's passphrase opens (a token naming a foreign slot).
                let passphraseOpensIt: Bool
                do { passphraseOpensIt = try volume.keyslotOpened(by: passphrase, keyslot: previous) != nil } catch { throw .volume(error) }
                if !passphraseOpensIt { replaced = previous }
            }
        }
        guard let slot else { throw .key("internal: no keyslot") }

        var wanted = token
        wanted.keyslot = slot
        if change == .tokenWritten, let existing, existing.token == wanted {
            return Outcome(keyslot: slot, tokenID: existing.id, change: .unchanged)
        }
        let tokenID: Int
        do { tokenID = try volume.setTokenJSON(wanted.jsonText, token: existing?.id) } catch { throw .volume(error) }
        if let replaced {
            do { try volume.destroyKeyslot(replaced) } catch { throw .volume(error) }
            change = .keyslotReplaced(old: replaced)
        }
        return Outcome(keyslot: slot, tokenID: tokenID, change: change)
    }
}
