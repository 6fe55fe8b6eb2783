/// Cloud-IAM SSH logins (channels.md G4): an sshd `AuthorizedKeysCommand` backed by the
/// provider's IAM lets the provider mint keys. Reported by default; `enforce` places a drop-in
/// that sshd reads first (first value wins) with `AuthorizedKeysCommand none`.
public struct SSHAuthorizedKeysCommandItem: PostureItem {
    public let id = "ssh-authorized-keys-command"
    public let title = "sshd AuthorizedKeysCommand"
    public let channel: String? = "P19"
    public init() {}

    static let dropIn = "/etc/ssh/sshd_config.d/00-guestguard.conf"

    public var rules: [DenyRule] {
        [.ownedFile(path: Self.dropIn, contents: "# Written by guestguard deny (P19).\nAuthorizedKeysCommand none\n")]
    }

    public func evaluate(_ context: PostureContext) -> PostureFinding {
        var sources = ["/etc/ssh/sshd_config"]
        sources += ((try? context.files.listDirectory("/etc/ssh/sshd_config.d")) ?? []).filter { $0.hasSuffix(".conf") }.map { "/etc/ssh/sshd_config.d/\($0)" }
        var commands: [String] = []
        for path in sources {
            for line in ((try? context.files.readText(path)) ?? "").split(separator: "\n") {
                let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
                if words.count >= 2, words[0].lowercased() == "authorizedkeyscommand", words[1].lowercased() != "none" {
                    commands.append("\(path): \(words[1])")
                }
            }
        }
        if commands.isEmpty { return finding(.ok, "no AuthorizedKeysCommand") }
        let pinned = (try? context.files.readText(Self.dropIn))?.contains("AuthorizedKeysCommand none") == true
        if pinned { return finding(.ok, "AuthorizedKeysCommand none pinned by \(Self.dropIn)") }
        return finding(.fail, "sshd asks \(commands.joined(separator: ", ")) for keys", ["commands": .array(commands.map { .string($0) })])
    }
}

import GuestGuardCore
import CanonicalJSON
