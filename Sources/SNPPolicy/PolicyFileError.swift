import GuestGuardConfig

/// Why an SNP verification policy file was rejected. Both cases name the file, line and key.
public enum PolicyFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A TOML syntax error, a wrong type or range, a missing or unknown key, or a value the policy
    /// cannot use (malformed hex, a digest of the wrong length, a duplicate).
    case invalidFile(ConfigError)
    /// `version` names a policy format this build does not read.
    case unsupportedVersion(Int64, location: SourceLocation)

    public var description: String {
        switch self {
        case .invalidFile(let error):
            return error.description
        case .unsupportedVersion(let version, let location):
            return "\(location): key \"version\": unsupported policy version \(version) "
                + "(this build reads version \(SNPVerificationPolicy.currentVersion))"
        }
    }
}
