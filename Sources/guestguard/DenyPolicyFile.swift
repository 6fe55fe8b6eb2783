import GuestGuardBoot
import GuestGuardCore
import GuestGuardPosture
import GuestGuardLinux
import GuestGuardPlatform

/// Reads the deny policy for `deny` and `serve`: the given file, or `/etc/guestguard/policy.toml`
/// under the working tree, or channels.md §10's defaults when that is absent.
enum DenyPolicyFile {
    /// - Parameters:
    ///   - option: the `--policy` value, if given (read from the real file system).
    ///   - files: the tree `deny` works on (the default path is looked up there).
    ///   - checkOwner: refuse a policy that is not root's or is group/world-writable (the policy
    ///     decides what stays open to the host).
    ///   - announce: called with a line when the default path is absent.
    static func load(option: String?, files: any FileSystem, checkOwner: Bool, announce: (String) -> Void = { print($0) }) throws -> DenyPolicy {
        let path: String
        let reader: any FileSystem
        if let option {
            path = CLIFiles.absolute(option)
            reader = HostFileSystem()
        } else {
            path = DenyPolicy.defaultPath
            reader = files
            guard files.exists(path) else {
                announce("policy: \(path) absent, using the channels.md §10 defaults")
                return .standard
            }
        }
        if checkOwner, let status = try? reader.status(path), status.ownerUID != 0 || status.permissions & 0o022 != 0 {
            throw CLIError(message: "refusing policy \(path)", causes: ["owned by uid \(status.ownerUID) with mode \(String(status.permissions, radix: 8)): it must be root's and not group- or world-writable"])
        }
        let bytes: [UInt8]
        do { bytes = try reader.readFile(path, limit: 1 << 20) } catch { throw CLIError(message: "--policy \(option ?? path)", causes: ["\(error)"]) }
        do {
            return try DenyPolicy(parsing: String(decoding: bytes, as: UTF8.self), fileName: path)
        } catch {
            throw CLIError(message: "invalid policy", causes: ["\(error)"])
        }
    }
}
