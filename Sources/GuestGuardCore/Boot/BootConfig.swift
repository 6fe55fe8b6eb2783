import GuestGuardConfig
import GuestGuardPlatform

/// `/etc/guestguard/guestguard.toml`, copied into the (measured) initramfs at build time: the only
/// source of brokers and broker trust at boot. The LUKS2 token (host-controlled) only says which
/// keyslot to open; the kernel command line (host-controlled) changes nothing here.
///
/// ```toml
/// brokers = ["https://kbs.example:8443"]
/// resource = "default/disk/root"
/// broker-pin = "spki-sha256:<64 hex>"      # or broker-ca = "/etc/guestguard/broker-ca.pem"
/// name = "root"                            # device-mapper name (default: luks-<UUID> per volume)
///
/// [retries]
/// attempts = 5
/// initial-backoff-ms = 1000
/// max-backoff-ms = 8000
///
/// [[volume]]                               # one per volume boot may open (BootConfig+Volumes.swift)
/// uuid = "0b9f1c3e-5d2a-4c1b-9e8f-7a6b5c4d3e2f"
/// volume-key-digest = "<base64>"           # recommended
/// resource = "default/disk/data"           # optional: this volume's key (default: the top-level resource)
///
/// [tpm]                                    # optional: quote in the evidence, unlock measured into a PCR
/// tcti = "device:/dev/tpmrm0"
/// pcr = 15
///
/// [network]                                # optional: the initramfs network (BootNetwork.swift)
/// ipv6 = "static"
/// ipv6-address = "2001:db8::10/64"
///
/// [test-only]                              # NOT FOR PRODUCTION
/// simulator = "/etc/guestguard/simulator"  # a simulated secure processor (its keys in the image), or
/// simulator-port = "/dev/virtio-ports/org.guestguard.snp-sim"  # the host's (`simulator serve`)
/// allow-plain-http = true                  # http:// brokers (unauthenticated; warned on every use)
/// ```
///
/// Brokers must be `https://` with `broker-pin` or `broker-ca` (``BrokerTrust``); an `http://` broker,
/// or a list mixing http and https, is a configuration error naming `file:line:column` and the key.
public struct BootConfig: Sendable, Hashable {
    public static let defaultPath = "/etc/guestguard/guestguard.toml"

    /// The brokers and how they are authenticated (the only source of broker trust at boot).
    public let brokerTrust: BrokerTrust
    /// Broker base URLs, tried in order (1…8).
    public var brokers: [String] { brokerTrust.brokers }
    /// The disk key's resource, `repo/type/tag` (a `[[volume]]` may name its own: ``resource(for:)``).
    public let resource: String
    /// `spki-sha256:<hex>` or `certificate-sha256:<hex>` (a bare hex is an SPKI pin).
    public var brokerPin: String? { if case .pin(let pin) = brokerTrust.authentication { pin } else { nil } }
    /// Path of a pinned CA certificate (PEM) inside the initramfs.
    public var brokerCA: String? { if case .caFile(let path) = brokerTrust.authentication { path } else { nil } }
    /// The device-mapper name for the (single) volume; nil: `luks-<UUID>` for each volume.
    public let name: String?
    public let retries: RetryPolicy
    /// The vTPM (TCTI string, `device:/dev/tpmrm0`): a quote joins the evidence and each released key is
    /// measured into ``tpmPCR`` after the unlock. Nil: no TPM.
    public let tpmTCTI: String?
    /// The PCR extended with the unlock measurement (default 15).
    public let tpmPCR: Int
    /// TEST ONLY: a simulated secure processor directory instead of the SEV device. Never in production.
    public let simulator: String?
    /// TEST ONLY: the port of a simulated secure processor running on the host (its keys stay there).
    public var simulatorPort: String?

    public init(brokerTrust: BrokerTrust, resource: String, name: String? = nil,
                retries: RetryPolicy = .bootUnlock, tpmTCTI: String? = nil, tpmPCR: Int = 15, simulator: String? = nil)
    {
        self.brokerTrust = brokerTrust
        self.resource = resource
        self.name = name
        self.retries = retries
        self.tpmTCTI = tpmTCTI
        self.tpmPCR = tpmPCR
        self.simulator = simulator
    }

    /// The volumes boot opens, and no other (`[[volume]]` tables: BootConfig+Volumes.swift).
    public var volumes: [ExpectedVolume] = []

    /// The initramfs network and the broker timeouts (`[network]`: BootConfig+Network.swift).
    public var network = BootNetwork()

    static let topKeys = ["brokers", "resource", "broker-pin", "broker-ca", "name", "retries", "tpm", "test-only", "volume", "network"]

    /// Parses the file strictly: unknown keys, bad URLs, a plain http broker (without the test-only
    /// switch), an https broker without a pin or CA, and out-of-range retries are errors naming
    /// `file:line:column` and the key.
    public init(parsing text: String, fileName: String) throws(ConfigError) {
        let root = try TOMLTable(parsing: text, fileName: fileName)
        try root.requireKnownKeys(Self.topKeys)
        let resource = try Self.parseResource(try root.required("resource"))
        let brokerTrust = try Self.brokerTrust(root, fileName: fileName)
        let name = try root["name"].map { value throws(ConfigError) in
            let name = try value.string()
            guard (1...64).contains(name.utf8.count), name.utf8.allSatisfy({ Self.nameBytes.contains($0) }) else {
                throw value.invalid(expected: "a device-mapper name of 1…64 letters, digits, '-', '_'")
            }
            return name
        }
        var retries = RetryPolicy.bootUnlock
        if let table = try root["retries"]?.table() {
            try table.requireKnownKeys(["attempts", "initial-backoff-ms", "max-backoff-ms"])
            let attempts = try table["attempts"]?.integer(in: RetryPolicy.bootAttemptsRange) ?? retries.attempts
            let initial = try (table["initial-backoff-ms"]?.integer(in: RetryPolicy.bootBackoffMillisecondsRange)).map { Duration.milliseconds($0) } ?? retries.initialDelay
            let maximum = try (table["max-backoff-ms"]?.integer(in: RetryPolicy.bootBackoffMillisecondsRange)).map { Duration.milliseconds($0) } ?? max(initial, retries.maximumDelay)
            if maximum < initial, let value = table["max-backoff-ms"] { throw value.invalid(expected: "at least initial-backoff-ms (\(initial))") }
            retries = RetryPolicy(attempts: attempts, initialDelay: initial, maximumDelay: maximum)
        }
        var tcti: String?
        var pcr = 15
        if let table = try root["tpm"]?.table() {
            try table.requireKnownKeys(["tcti", "pcr"])
            let value = try table.required("tcti")
            let text = try value.string()
            guard !text.isEmpty, text.utf8.count <= 256 else { throw value.invalid(expected: "a TCTI string such as \"device:/dev/tpmrm0\"") }
            tcti = text
            pcr = try table["pcr"]?.integer(in: 0...23) ?? pcr
        }
        var simulator: String?
        var simulatorPort: String?
        if let table = try root["test-only"]?.table() {
            try table.requireKnownKeys(["simulator", "simulator-port", "allow-plain-http"])
            simulator = try table["simulator"]?.string()
            if let value = table["simulator-port"] {
                guard simulator == nil else { throw value.invalid(expected: "either simulator or simulator-port, not both") }
                let path = try value.string()
                guard path.hasPrefix("/") else { throw value.invalid(expected: "an absolute path such as \"/dev/virtio-ports/org.guestguard.snp-sim\"") }
                simulatorPort = path
            }
        }
        self.init(brokerTrust: brokerTrust, resource: resource, name: name, retries: retries, tpmTCTI: tcti, tpmPCR: pcr, simulator: simulator)
        self.simulatorPort = simulatorPort
        volumes = try Self.volumes(root, name: name)
        network = try Self.parseNetwork(root)
        try Self.checkBrokers(root, against: network)
    }

    /// `brokers`, `broker-pin`, `broker-ca` and `[test-only] allow-plain-http`, checked by ``BrokerTrust``;
    /// its refusal is reported at the value it is about.
    static func brokerTrust(_ root: TOMLTable, fileName: String) throws(ConfigError) -> BrokerTrust {
        let brokersValue = try root.required("brokers")
        let brokerValues = try brokersValue.array()
        let brokers = try brokerValues.map { value throws(ConfigError) in try value.string() }
        let pinValue = root["broker-pin"], caValue = root["broker-ca"]
        let pin = try pinValue?.string(), ca = try caValue?.string()
        let switchValue = try root["test-only"]?.table()["allow-plain-http"]
        let allowPlainHTTP = try switchValue?.boolean() ?? false
        do {
            return try BrokerTrust(brokers: brokers, pin: pin, caFile: ca, allowPlainHTTP: allowPlainHTTP, source: fileName)
        } catch {
            let at: ConfigValue
            switch error {
            case .brokerCount: at = brokersValue
            case .badPin: at = pinValue ?? brokersValue
            case .relativeCAPath, .pinAndCA: at = caValue ?? brokersValue
            case .pinForPlainHTTP: at = pinValue ?? caValue ?? brokersValue
            default: at = error.index.map { brokerValues[$0] } ?? brokersValue
            }
            throw at.invalid(expected: error.description)
        }
    }

    /// A resource path, `REPO/TYPE/TAG` (three non-empty parts).
    static func parseResource(_ value: ConfigValue) throws(ConfigError) -> String {
        let resource = try value.string()
        let parts = resource.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else { throw value.invalid(expected: "REPO/TYPE/TAG") }
        return resource
    }

    static let nameBytes = Set(Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_".utf8))
}
