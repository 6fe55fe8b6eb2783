/// GuestGuardConfig: a strict, Foundation-free reader for the TOML subset that guestguard's
/// configuration and policy files use (`/etc/guestguard/guestguard.toml`, `/etc/guestguard/policy.toml`,
/// the SNP verification policy).
///
/// Entry points:
/// - ``TOMLTable/init(parsing:fileName:limits:)`` parses a document into a ``TOMLTable`` tree in which
///   every ``ConfigValue`` keeps its ``SourceLocation`` and ``ConfigKeyPath``.
/// - The typed helpers in `TOMLTable+Decoding.swift` (`string(_:)`, `integer(_:in:)`,
///   `requireKnownKeys(_:)`, …) turn that tree into a consumer's own types; every failure is a
///   ``ConfigError`` naming file, line, column and key path.
/// - ``TOMLRenderer`` writes values back as TOML text.
///
/// Supported: comments, `[table]` / `[table.sub]` headers, `[[array-of-tables]]`, bare, quoted and dotted
/// keys, basic and literal strings (single- and multi-line, TOML escapes including `\uXXXX` and
/// `\UXXXXXXXX`), integers (decimal, `0x` hexadecimal, `_` separators; 64-bit signed), booleans,
/// arrays (multi-line, trailing comma, nested) and inline tables. Everything else (floats, dates and
/// times, octal and binary integers, …) is rejected with an error that says so.
public enum GuestGuardConfig {}
