import GuestGuardConfig
import SNPABI

extension SimulatorSettings {
    /// Parses `simulator.toml`; unknown keys and bad values are errors naming file, line and key.
    public init(parsing text: String, fileName: String) throws(SimulatorError) {
        self.init()
        do throws(ConfigError) {
            let table = try TOMLTable(parsing: text, fileName: fileName)
            try table.requireKnownKeys(["version", "generation", "report-version", "measurement", "policy", "guest-svn", "chip-id",
                                        "family-id", "image-id", "host-data", "id-key-digest", "author-key-digest",
                                        "platform-info", "firmware", "tcb"])
            let version = try table.integer("version", in: 1...1)
            _ = version
            let generationName = try table.string("generation", oneOf: ProcessorGeneration.allCases.map(\.rawValue))
            generation = ProcessorGeneration(rawValue: generationName)!
            reportVersion = try table.integer("report-version", in: UInt32(3)...UInt32(5))
            measurement = try Self.hex(table, "measurement", count: 48)
            policy = try Self.number(table, "policy")
            guestSVN = try table.integer("guest-svn", as: UInt32.self)
            chipID = try Self.hex(table, "chip-id", count: 64)
            if table["family-id"] != nil { familyID = try Self.hex(table, "family-id", count: 16) }
            if table["image-id"] != nil { imageID = try Self.hex(table, "image-id", count: 16) }
            if table["host-data"] != nil { hostData = try Self.hex(table, "host-data", count: 32) }
            if table["id-key-digest"] != nil { idKeyDigest = try Self.hex(table, "id-key-digest", count: 48) }
            if table["author-key-digest"] != nil { authorKeyDigest = try Self.hex(table, "author-key-digest", count: 48) }
            platformInfo = try Self.number(table, "platform-info")
            let firmwareText = try table.string("firmware")
            guard let parsed = Self.firmwareVersion(firmwareText) else {
                throw try table.required("firmware").invalid(expected: "MAJOR.MINOR.BUILD, each 0…255")
            }
            firmware = parsed
            let tcbTable = try table.table("tcb")
            try tcbTable.requireKnownKeys(["bootloader", "tee", "snp", "microcode", "fmc"])
            bootLoader = try tcbTable.integer("bootloader", as: UInt8.self)
            tee = try tcbTable.integer("tee", as: UInt8.self)
            snp = try tcbTable.integer("snp", as: UInt8.self)
            microcode = try tcbTable.integer("microcode", as: UInt8.self)
            if tcbTable["fmc"] != nil { fmc = try tcbTable.integer("fmc", as: UInt8.self) }
        } catch {
            throw .settings(error)
        }
        try validate()
    }

    /// The `simulator.toml` text for these settings.
    public var tomlText: String {
        var lines = [
            "# guestguard simulated AMD secure processor: NOT AMD. For tests and demos only.",
            "# A verifier trusts its ark.pem only when a policy names that ARK.",
            TOMLRenderer.assignment("version", TOMLRenderer.integer(Self.formatVersion)),
            TOMLRenderer.assignment("generation", TOMLRenderer.string(generation.rawValue)),
            TOMLRenderer.assignment("report-version", TOMLRenderer.integer(reportVersion)),
            TOMLRenderer.assignment("measurement", TOMLRenderer.string(Hex.encode(measurement))),
            TOMLRenderer.assignment("policy", TOMLRenderer.string("0x" + String(policy, radix: 16))),
            TOMLRenderer.assignment("guest-svn", TOMLRenderer.integer(guestSVN)),
            TOMLRenderer.assignment("chip-id", TOMLRenderer.string(Hex.encode(chipID))),
            TOMLRenderer.assignment("family-id", TOMLRenderer.string(Hex.encode(familyID))),
            TOMLRenderer.assignment("image-id", TOMLRenderer.string(Hex.encode(imageID))),
            TOMLRenderer.assignment("host-data", TOMLRenderer.string(Hex.encode(hostData))),
            TOMLRenderer.assignment("id-key-digest", TOMLRenderer.string(Hex.encode(idKeyDigest))),
            TOMLRenderer.assignment("author-key-digest", TOMLRenderer.string(Hex.encode(authorKeyDigest))),
            TOMLRenderer.assignment("platform-info", TOMLRenderer.string("0x" + String(platformInfo, radix: 16))),
            TOMLRenderer.assignment("firmware", TOMLRenderer.string(firmware.description)),
            "",
            TOMLRenderer.tableHeader(["tcb"]),
            TOMLRenderer.assignment("bootloader", TOMLRenderer.integer(bootLoader)),
            TOMLRenderer.assignment("tee", TOMLRenderer.integer(tee)),
            TOMLRenderer.assignment("snp", TOMLRenderer.integer(snp)),
            TOMLRenderer.assignment("microcode", TOMLRenderer.integer(microcode)),
        ]
        if generation.usesTurinTCBLayout { lines.append(TOMLRenderer.assignment("fmc", TOMLRenderer.integer(fmc))) }
        return lines.joined(separator: "\n") + "\n"
    }

    static func hex(_ table: TOMLTable, _ key: String, count: Int) throws(ConfigError) -> [UInt8] {
        let text = try table.string(key)
        guard let bytes = Hex.decode(text), bytes.count == count else {
            throw try table.required(key).invalid(expected: "\(count * 2) hex digits")
        }
        return bytes
    }

    /// A number written as a decimal integer or a "0x…" string.
    static func number(_ table: TOMLTable, _ key: String) throws(ConfigError) -> UInt64 {
        let value = try table.required(key)
        if let text = try? value.string() {
            let digits = text.hasPrefix("0x") ? String(text.dropFirst(2)) : text
            guard let number = UInt64(digits, radix: text.hasPrefix("0x") ? 16 : 10) else {
                throw value.invalid(expected: "a number (decimal or 0x hex)")
            }
            return number
        }
        return try value.integer(as: UInt64.self)
    }

    static func firmwareVersion(_ text: String) -> FirmwareVersion? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map { UInt8($0) }
        guard parts.count == 3, let major = parts[0], let minor = parts[1], let build = parts[2] else { return nil }
        return FirmwareVersion(major: major, minor: minor, build: build)
    }
}
