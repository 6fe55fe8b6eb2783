/// What the deny policy does with one posture item (channels.md §10).
public enum DenyMode: String, Sendable, Hashable, CaseIterable {
    /// guestguard applies the item's rules and re-applies them when they drift.
    case enforce
    /// The posture fails when the item is not met; guestguard cannot fix it from inside
    /// (the kernel command line, the disk layout, the SNP launch policy).
    case require
    /// Informational: a failing item is shown as a warning.
    case report
    /// Neither evaluated nor enforced.
    case off
}
