import CanonicalJSON
import GuestGuardCore
import GuestGuardLinux
import GuestGuardPlatform
import InMemoryLogging
import KeyBrokerTestSupport
import Logging
import Testing

/// Everything logged at trace level (libcryptsetup's messages through the log bridge) and every
/// error description, over format, enrol, unlock and their failures, is free of the disk key and
/// the passphrases, in hex, base64 and base64url.
@Suite(.serialized) struct LogSecrecyTests {
    let disks = LUKSTestVolumes()
    let logs = InMemoryLogHandler()
    var volumes: CryptsetupVolumes {
        var logger = Logger(label: "test") { _ in logs }
        logger.logLevel = .trace
        return CryptsetupVolumes(logger: logger)
    }

    static func spellings(_ secret: [UInt8]) -> [String] {
        let hex = secret.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        return [hex, hex.uppercased(), Base64.encode(secret), Base64URL.encode(secret), String(decoding: secret, as: UTF8.self)]
            .filter { $0.count >= 8 }
    }

    @Test func noKeyMaterialInLogsOrErrors() async throws {
        let broker = try BrokerHarness(jwe: true)
        let keys = BrokerKeys(broker)
        let passphrase = "correct horse battery"
        var texts: [String] = []

        // An odd size: libcryptsetup refuses 4096-byte sectors and says so in the log.
        let fresh = disks.blankFile("/fresh.img", bytes: (32 << 20) + 512)
        let format = VolumeFormat(volumes: volumes, probe: CryptsetupDeviceProbe(logger: disks.logger), headerCheck: StandardLUKS2HeaderCheck())
        _ = try await format.format(device: fresh, token: LUKSTestVolumes.token, machineKey: { try keys.key(for: LUKSTestVolumes.token) },
                              recoveryPassphrase: LUKSTestVolumes.secret(passphrase))

        let image = try disks.passphraseImage(passphrase: passphrase)
        let enrollment = VolumeEnrollment(volumes: volumes, headerCheck: StandardLUKS2HeaderCheck())
        do {
            _ = try await enrollment.enroll(device: image, token: LUKSTestVolumes.token, brokerKey: { try keys.key(for: LUKSTestVolumes.token) },
                                            existingPassphrase: { LUKSTestVolumes.secret("not " + passphrase) })
            Issue.record("a wrong passphrase enrolled")
        } catch { texts.append(error.description) }
        _ = try await enrollment.enroll(device: image, token: LUKSTestVolumes.token, brokerKey: { try keys.key(for: LUKSTestVolumes.token) },
                                        existingPassphrase: { LUKSTestVolumes.secret(passphrase) })

        let unlock = VolumeUnlock(volumes: volumes, headerCheck: StandardLUKS2HeaderCheck(), files: HostFileSystem(), random: GetrandomSource(),
                                  copyDirectory: disks.tree.root + "/run/guestguard")
        for device in [fresh, image] {
            _ = try await unlock.unlock(device: device, name: nil, keySource: .broker { token in try keys.key(for: token) })
            do {
                _ = try await unlock.unlock(device: device, name: nil, keySource: .broker { _ in SecretBytes(copying: Array(passphrase.utf8)) })
                Issue.record("the passphrase opened the broker's keyslot")
            } catch { texts.append(error.description) }
        }

        let logged = logs.entries.map { "\($0.message) \($0.metadata ?? [:])" }
        #expect(logged.contains { $0.contains("libcryptsetup") }, "the log bridge was exercised")
        texts += logged + [broker.audit.lines]
        for secret in [broker.diskKey, Array(passphrase.utf8)] {
            for spelling in Self.spellings(secret) {
                #expect(!texts.contains { $0.contains(spelling) }, "secret found in output")
            }
        }
    }
}
