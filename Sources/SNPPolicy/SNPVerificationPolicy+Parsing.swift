import GuestGuardConfig
import SNPABI

extension SNPVerificationPolicy {
    static let fileKeys = ["version", "report", "trust", "tpm"]
    static let reportKeys = [
        "measurements", "debug", "migration-agent", "smt", "single-socket", "vmpl", "minimum-guest-svn",
        "minimum-firmware", "minimum-abi", "minimum-tcb", "platform-info",
    ] + ReportBytesField.allCases.map(\.rawValue)
    static let minimumTCBKeys = ["applies-to"] + TCBComponent.allCases.map(\.rawValue)
    static let trustKeys = ["roots", "ark-fingerprints"]
    static let amdRoots = "amd"
    /// The explicit waiver: `minimum-tcb = "any"`.
    static let anyValue = "any"

    /// Reads a policy file (format in `docs/policy.md`).
    ///
    /// `version` is checked first, so a file from a newer format is reported as such rather than as
    /// a list of unknown keys. Then every table is checked for unknown keys and every value for type,
    /// range, length and duplicates.
    ///
    /// - Parameters:
    ///   - text: the whole file.
    ///   - fileName: the name used in messages (for example `policy.toml`).
    public init(parsing text: String, fileName: String) throws(PolicyFileError) {
        let root: TOMLTable
        let versionValue: ConfigValue
        let version: Int64
        do throws(ConfigError) {
            root = try TOMLTable(parsing: text, fileName: fileName)
            versionValue = try root.required("version")
            version = try versionValue.integer(as: Int64.self)
        } catch {
            throw .invalidFile(error)
        }
        guard version == Self.currentVersion else {
            throw .unsupportedVersion(version, location: versionValue.location)
        }
        do throws(ConfigError) {
            try root.requireKnownKeys(Self.fileKeys)
            let report = try Self.decodeReport(root.table("report"))
            let trust = try root["trust"].map { value throws(ConfigError) in try Self.decodeTrust(value.table()) }
            let tpm = try root["tpm"].map { value throws(ConfigError) in try Self.decodeTPM(value.table()) }
            self.init(report: report, trust: trust ?? .amdOnly, tpm: tpm)
        } catch {
            throw .invalidFile(error)
        }
    }

    private static func decodeReport(_ table: TOMLTable) throws(ConfigError) -> ReportRequirements {
        try table.requireKnownKeys(reportKeys)
        var labels: [[UInt8]: String] = [:]
        let measurements = try nonEmptyDistinctList(table.required("measurements")) { value throws(ConfigError) in
            // "<96 hex>", or { value = "<96 hex>", label = "kernel 6.1.0-58" }
            guard case .table(let entry) = value.kind else { return try hexBytes(value, count: 48) }
            try entry.requireKnownKeys(["value", "label"])
            let bytes = try hexBytes(entry.required("value"), count: 48)
            if let labelValue = entry["label"] {
                let label = try labelValue.string()
                if let problem = ReportRequirements.labelProblem(label) { throw labelValue.invalid(expected: problem) }
                labels[bytes] = label
            }
            return bytes
        }
        var report = ReportRequirements(measurements: measurements)
        report.measurementLabels = labels
        report.debug = try table["debug"]?.keyword(Permission.self) ?? report.debug
        report.migrationAgent = try table["migration-agent"]?.keyword(Permission.self) ?? report.migrationAgent
        report.smt = try table["smt"]?.keyword(Permission.self) ?? report.smt
        report.requireSingleSocket = try table["single-socket"]?.string(oneOf: ["require", "optional"]) == "require"
        if let vmpl = table["vmpl"] {
            report.vmpls = try nonEmptyDistinctList(vmpl) { value throws(ConfigError) in
                try value.integer(in: UInt32(0)...3)
            }
        }
        report.minimumGuestSVN = try table["minimum-guest-svn"]?.integer(as: UInt32.self) ?? 0
        report.minimumFirmware = try table["minimum-firmware"].map(firmwareVersion)
        report.minimumABI = try table["minimum-abi"].map(abiVersion)
        if let minimumTCB = table["minimum-tcb"] {
            if case .string = minimumTCB.kind {
                _ = try minimumTCB.string(oneOf: [anyValue])
                report.minimumTCBWaived = true
            } else {
                report.minimumTCB = try decodeMinimumTCB(minimumTCB.table())
            }
        }
        if let platformInfo = try table["platform-info"]?.table() {
            try platformInfo.requireKnownKeys(PlatformInfoFlag.allCases.map(\.rawValue))
            for flag in PlatformInfoFlag.allCases {
                report.platformInfo[flag] = try platformInfo[flag.rawValue]?.keyword(FlagRequirement.self)
            }
        }
        for field in ReportBytesField.allCases {
            report.expectedBytes[field] = try table[field.rawValue].map { value throws(ConfigError) in
                try hexBytes(value, count: field.byteCount)
            }
        }
        return report
    }

    private static func decodeMinimumTCB(_ table: TOMLTable) throws(ConfigError) -> MinimumTCB {
        try table.requireKnownKeys(minimumTCBKeys)
        var minimums: [TCBComponent: UInt8] = [:]
        for component in TCBComponent.allCases {
            minimums[component] = try table[component.rawValue]?.integer(as: UInt8.self)
        }
        guard let appliesTo = table["applies-to"] else { return MinimumTCB(minimums) }
        let fields = try nonEmptyDistinctList(appliesTo) { value throws(ConfigError) in
            try value.keyword(TCBField.self)
        }
        // REPORTED_TCB is the TCB the VCEK certifies; a minimum that skips it checks the wrong thing.
        guard fields.contains(.reported) else {
            throw appliesTo.invalid(expected: "a list that includes \"reported\"")
        }
        return MinimumTCB(minimums, fields: fields)
    }

    static let tpmKeys = ["quote", "pcrs"]

    private static func decodeTPM(_ table: TOMLTable) throws(ConfigError) -> TPMRequirements {
        try table.requireKnownKeys(tpmKeys)
        let requireQuote = try table["quote"]?.string(oneOf: ["require", "optional"]) ?? "require"
        var pcrs: [Int: [UInt8]] = [:]
        if let pinned = try table["pcrs"]?.table() {
            for key in pinned.keys {
                let value = pinned[key]!
                guard let index = Int(key), String(index) == key, TPMRequirements.quotablePCRs.contains(index) else {
                    throw value.invalid(expected: "a key that is a quoted PCR index (0-9, 11, 14, 15)")
                }
                pcrs[index] = try hexBytes(value, count: 32)
            }
        }
        if requireQuote == "optional" && !pcrs.isEmpty {
            throw table["quote"]!.invalid(expected: "\"require\" (pinned PCRs need a quote)")
        }
        return TPMRequirements(requireQuote: requireQuote == "require", pcrs: pcrs)
    }

    private static func decodeTrust(_ table: TOMLTable) throws(ConfigError) -> TrustPolicy {
        try table.requireKnownKeys(trustKeys)
        var trust = TrustPolicy(includesAMDRoots: table["roots"] == nil)
        if let roots = table["roots"] {
            // A single string is a one-entry list.
            let entries = if case .string = roots.kind { [roots] } else { try roots.array() }
            let names = try distinctList(entries) { value throws(ConfigError) in try value.string() }
            for (name, entry) in zip(names, entries) {
                if name == amdRoots {
                    trust.includesAMDRoots = true
                } else if name.hasPrefix("/") {
                    trust.arkCertificatePaths.append(name)
                } else {
                    throw entry.invalid(expected: "\"amd\" or the absolute path of an ARK PEM file")
                }
            }
        }
        if let fingerprints = table["ark-fingerprints"] {
            trust.arkFingerprints = try distinctList(fingerprints.array()) { value throws(ConfigError) in
                try fingerprint(value)
            }
        }
        if !trust.includesAMDRoots && trust.arkCertificatePaths.isEmpty && trust.arkFingerprints.isEmpty {
            throw (table["roots"] ?? table["ark-fingerprints"])?.invalid(expected: "at least one trusted root")
                ?? ConfigError(location: table.location, keyPath: table.keyPath.appending("roots"), reason: .missingKey)
        }
        return trust
    }
}
