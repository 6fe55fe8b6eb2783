/// GuestGuardConfig: a strict, Foundation-free TOML-subset reader for guestguard's configuration
/// and policy files. Every error names the file, line and key.
public enum GuestGuardConfig {}
