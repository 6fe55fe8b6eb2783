import CanonicalJSON
import GuestGuardPlatform

/// Makes a fresh LUKS2 data volume whose only machine keyslot opens with the broker's key
/// (aes-xts-plain64, 512-bit volume key, 4096-byte sectors where the device allows), plus an
/// optional recovery passphrase keyslot, and writes the `guestguard` token. The result is then
/// checked as unlocking would check it: the header policy (with our token) and the key opening
/// its keyslot.
public struct VolumeFormat: Sendable {
    public let volumes: any LUKSVolumeOpener
    public let probe: any LUKSDeviceProbe
    public let headerCheck: any LUKS2HeaderCheck

    public init(volumes: any LUKSVolumeOpener, probe: any LUKSDeviceProbe, headerCheck: any LUKS2HeaderCheck) {
        self.volumes = volumes
        self.probe = probe
        self.headerCheck = headerCheck
    }

    public struct Outcome: Sendable, Hashable {
        public let uuid: String
        public let machineKeyslot: Int
        public let recoveryKeyslot: Int?
        public let tokenID: Int
    }

    /// Formats `device` (refusing one that already starts with a LUKS header unless `overwrite`).
    /// `token` gives the resource; its `keyslot` is replaced by the machine keyslot.
    /// `machineKey` (the broker's key) is called once, after the device passed the overwrite check.
    public func format(device: String, token: GuestGuardToken, machineKey fetchKey: () throws -> SecretBytes, recoveryPassphrase: SecretBytes?,
                       settings: LUKSFormatSettings = .standard, overwrite: Bool = false) throws(EnrollmentError) -> Outcome
    {
        if !overwrite {
            let version: Int?
            do { version = try probe.luksVersion(device: device) } catch { throw .volume(error) }
            if let version { throw .alreadyLUKS(device: device, version: version) }
        }
        let machineKey: SecretBytes
        do { machineKey = try fetchKey() } catch { throw .key("\(error)") }
        var keyslots = [LUKSNewKeyslot(kind: .machineKey, key: machineKey)]
        if let recoveryPassphrase { keyslots.append(LUKSNewKeyslot(kind: .recoveryPassphrase, key: recoveryPassphrase)) }
        let formatted: (volume: any LUKSEditableVolume, keyslots: [Int])
        do { formatted = try volumes.format(device: device, settings: settings, keyslots: keyslots) } catch { throw .volume(error) }
        var wanted = token
        wanted.keyslot = formatted.keyslots[0]
        let tokenID: Int
        do { tokenID = try formatted.volume.setTokenJSON(wanted.jsonText, token: nil) } catch { throw .volume(error) }

        // Check the result from a fresh load, exactly as unlock will see it.
        let reloaded: any LUKSEditableVolume
        do { reloaded = try volumes.openForEditing(device: device) } catch { throw .volume(error) }
        let metadata: JSONValue
        do { metadata = try reloaded.parsedMetadata(device: device) } catch { throw EnrollmentError(error) }
        let violations = headerCheck.violations(metadata: metadata, guestguardToken: tokenID)
        guard violations.isEmpty else { throw .formatCheck(device: device, reason: violations.joined(separator: "; ")) }
        let opened: Int?
        do { opened = try reloaded.keyslotOpened(by: machineKey, keyslot: wanted.keyslot) } catch { throw .volume(error) }
        guard opened == wanted.keyslot else { throw .formatCheck(device: device, reason: "the broker's key does not open keyslot \(wanted.keyslot)") }
        return Outcome(uuid: reloaded.uuid ?? "", machineKeyslot: wanted.keyslot,
                       recoveryKeyslot: formatted.keyslots.count > 1 ? formatted.keyslots[1] : nil, tokenID: tokenID)
    }
}
