/// systemd credentials from SMBIOS type 11 and QEMU fw_cfg (channels.md §1 item 3, T5): systemd
/// 252 imports them without a confidential-VM check and `provision.conf` writes
/// `ssh.authorized_keys.root` to `/root/.ssh/authorized_keys` when that file is missing. An empty
/// `/etc/tmpfiles.d/provision.conf` overrides the vendor file, an existing `authorized_keys`
/// stops the `f^` line, and `qemu_fw_cfg` is blocked. Imported credentials fail the item.
public struct CredentialInjectionItem: PostureItem {
    public let id = "credential-injection"
    public let title = "systemd credential injection"
    public let channel: String? = "P16"
    public let defaultMode = DenyMode.enforce
    public init() {}

    public var rules: [DenyRule] {
        [.ownedFile(path: "/etc/tmpfiles.d/provision.conf", contents: ""),
         .ensureFile(path: "/root/.ssh/authorized_keys", mode: 0o600),
         .blockModules(["qemu_fw_cfg"])]
    }

    public func evaluate(_ context: PostureContext) -> PostureFinding {
        evaluateRules(context) { check in
            let imported = (try? context.files.listDirectory("/run/credentials/@system")) ?? []
            if !imported.isEmpty { check.failures.append("system credentials imported: \(imported.joined(separator: ", "))") }
            for entry in (try? context.files.listDirectory("/sys/firmware/dmi/entries")) ?? [] where entry.hasPrefix("11-") {
                let raw = (try? context.files.readFile("/sys/firmware/dmi/entries/\(entry)/raw", limit: 64 * 1024)) ?? []
                if String(decoding: raw, as: UTF8.self).contains("io.systemd.credential") {
                    check.failures.append("SMBIOS \(entry) carries io.systemd.credential strings")
                }
            }
        }
    }
}
