/// What a policy demands of one flag: that it is set, or that it is clear.
public enum FlagRequirement: String, Sendable, Hashable, CaseIterable {
    case require
    case forbid
}
