import GuestGuardBoot
import GuestGuardCore
import GuestGuardPosture
import GuestGuardLinux

/// After `format` and `enroll`: the `[[volume]]` stanza naming the volume, to paste into
/// guestguard.toml (boot and device-less `unlock` open only the volumes named there).
enum VolumeStanza {
    static func print(device: String) {
        do {
            let volume = try CryptsetupVolumes(logger: VolumeLogger.standard).openForEditing(device: CLIFiles.absolute(device))
            let stanza = try ExpectedVolume.stanza(of: volume, device: device)
            Swift.print("# add to /etc/guestguard/guestguard.toml (then rebuild the initramfs), so that boot opens this volume:\n\(stanza)")
        } catch {
            FileHandleStandardError.write("warning: \(device): cannot print its [[volume]] stanza: \(error)\n")
        }
    }
}
