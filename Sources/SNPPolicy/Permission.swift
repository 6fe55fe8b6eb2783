/// Whether the policy allows a guest feature (DEBUG, a migration agent, SMT).
public enum Permission: String, Sendable, Hashable, CaseIterable {
    case allow
    case forbid
}
