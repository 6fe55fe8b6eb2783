import GuestGuardPlatform

/// Where the TPM is: a `tctildr` configuration string, `NAME:CONF`.
///
/// - `device:/dev/tpmrm0` (the default): the kernel's resource manager.
/// - `swtpm:host=127.0.0.1,port=2321`: a swtpm socket server (tests, development).
/// - `mssim:host=…,port=…`: the Microsoft/IBM simulator protocol.
public struct TCTIConfiguration: Sendable, Hashable, CustomStringConvertible {
    /// The TCTI modules guestguard accepts; others (cmd, pcap…) are refused so a configuration
    /// file cannot make the agent run a command.
    public static let allowedNames: Set<String> = ["device", "swtpm", "mssim"]
    public static let defaultDevice = TCTIConfiguration(validated: "device", conf: "/dev/tpmrm0")

    public let name: String
    public let conf: String

    private init(validated name: String, conf: String) {
        self.name = name
        self.conf = conf
    }

    /// Parses `NAME[:CONF]`.
    public init(parsing text: String) throws(TPMError) {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let name = String(parts[0])
        guard Self.allowedNames.contains(name) else {
            throw TPMError(operation: "TCTI configuration", responseCode: 0,
                           message: "\"\(text)\": the TCTI must be one of \(Self.allowedNames.sorted().joined(separator: ", "))")
        }
        let conf = parts.count > 1 ? String(parts[1]) : ""
        guard !conf.utf8.contains(0), conf.utf8.count < 256 else {
            throw TPMError(operation: "TCTI configuration", responseCode: 0, message: "the configuration after \"\(name):\" is malformed")
        }
        self.init(validated: name, conf: conf)
    }

    /// The string `Tss2_TctiLdr_Initialize` takes.
    public var loaderString: String { conf.isEmpty ? name : "\(name):\(conf)" }
    public var description: String { loaderString }
}
