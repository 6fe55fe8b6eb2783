/// The file-operation seam under `ConfigFSTSMReportProvider`: the configfs-tsm report directory
/// (`/sys/kernel/config/tsm/report`, `Documentation/ABI/testing/configfs-tsm-report`).
///
/// Each entry is a directory the caller creates; the kernel populates it with attributes
/// (`provider`, `generation`, `privlevel`, `privlevel_floor`, `inblob`, `outblob`, `auxblob`).
/// Errors are the errno the kernel returns for the corresponding file operation.
public protocol TSMReportInterface: Sendable {
    /// The report directory, for messages.
    var location: String { get }

    /// Creates entry `name` (`mkdir`). `ENOENT` when configfs-tsm is absent, `ENXIO` when no TSM
    /// provider is registered.
    func makeEntry(_ name: String) throws(PlatformError)

    /// Writes `bytes` to an attribute in one `write(2)` (configfs applies each write whole).
    func write(entry: String, attribute: String, bytes: [UInt8]) throws(PlatformError)

    /// Reads an attribute to end of file, failing with `EFBIG` past `limit` bytes. Reading
    /// `outblob` or `auxblob` makes the kernel generate the report.
    func read(entry: String, attribute: String, limit: Int) throws(PlatformError) -> [UInt8]

    /// Removes entry `name` (`rmdir`; configfs drops the attributes with it).
    func removeEntry(_ name: String) throws(PlatformError)
}
