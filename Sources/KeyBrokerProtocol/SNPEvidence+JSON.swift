import CanonicalJSON

/// SNP evidence straight from its parsed JSON (`tee-evidence.primary_evidence`), without the
/// Codable bridge: the broker decodes one per `/attest`, and the certificates alone are thousands
/// of array elements (spec §1.2–§1.4). The rules are serde's: integers are JSON integers in range
/// (a fraction or exponent spelling is not an integer), byte arrays have exactly N elements
/// 0…255, a missing `Option` or `null` is nil, a missing or `null` required member is an error,
/// unknown members are ignored. Errors name the member (`attestation_report.report_data[2]`).
extension SNPEvidence {
    public init(json: JSONValue) throws(KeyBrokerProtocolError) {
        let top = try JSONMembers(json, path: "")
        let report = try JSONMembers(top.required("attestation_report"), path: "attestation_report")
        let chain: [CertTableEntry]?
        switch top.optional("cert_chain") {
        case nil: chain = nil
        case .array(let entries)?:
            var decoded: [CertTableEntry] = []
            decoded.reserveCapacity(entries.count)
            for (index, entry) in entries.enumerated() { decoded.append(try CertTableEntry(json: entry, path: "cert_chain[\(index)]")) }
            chain = decoded
        case .some:
            throw KeyBrokerProtocolError(.typeMismatch, field: "cert_chain", reason: "expected an array of certificate table entries or null")
        }
        self.init(attestationReport: try Report(members: report), certChain: chain)
    }
}

extension SNPEvidence.Report {
    init(members c: JSONMembers) throws(KeyBrokerProtocolError) {
        func readTCB(_ name: String) throws(KeyBrokerProtocolError) -> SNPEvidence.TCB {
            let t = try c.object(name)
            return SNPEvidence.TCB(fmc: try t.optionalInteger("fmc"), bootloader: try t.integer("bootloader"), tee: try t.integer("tee"),
                                   snp: try t.integer("snp"), microcode: try t.integer("microcode"))
        }
        func readVersion(_ name: String) throws(KeyBrokerProtocolError) -> SNPEvidence.FirmwareVersion {
            let v = try c.object(name)
            return SNPEvidence.FirmwareVersion(major: try v.integer("major"), minor: try v.integer("minor"), build: try v.integer("build"))
        }
        let signature = try c.object("signature")
        let count = SNPEvidence.Signature.componentByteCount
        version = try c.integer("version")
        guestSVN = try c.integer("guest_svn")
        policy = try c.integer("policy")
        familyID = try c.bytes("family_id", count: 16)
        imageID = try c.bytes("image_id", count: 16)
        vmpl = try c.integer("vmpl")
        sigAlgo = try c.integer("sig_algo")
        currentTCB = try readTCB("current_tcb")
        platformInfo = try c.integer("plat_info")
        keyInfo = try c.integer("key_info")
        reportData = try c.bytes("report_data", count: 64)
        measurement = try c.bytes("measurement", count: 48)
        hostData = try c.bytes("host_data", count: 32)
        idKeyDigest = try c.bytes("id_key_digest", count: 48)
        authorKeyDigest = try c.bytes("author_key_digest", count: 48)
        reportID = try c.bytes("report_id", count: 32)
        reportIDMA = try c.bytes("report_id_ma", count: 32)
        reportedTCB = try readTCB("reported_tcb")
        cpuidFamID = try c.optionalInteger("cpuid_fam_id")
        cpuidModID = try c.optionalInteger("cpuid_mod_id")
        cpuidStep = try c.optionalInteger("cpuid_step")
        chipID = try c.bytes("chip_id", count: 64)
        committedTCB = try readTCB("committed_tcb")
        current = try readVersion("current")
        committed = try readVersion("committed")
        launchTCB = try readTCB("launch_tcb")
        launchMitVector = try c.optionalInteger("launch_mit_vector")
        currentMitVector = try c.optionalInteger("current_mit_vector")
        self.signature = SNPEvidence.Signature(r: try signature.bytes("r", count: count), s: try signature.bytes("s", count: count))
    }
}

extension SNPEvidence.CertTableEntry {
    init(json: JSONValue, path: String) throws(KeyBrokerProtocolError) {
        let entry = try JSONMembers(json, path: path)
        let type: SNPEvidence.CertType
        let typePath = path + ".cert_type"
        switch try entry.required("cert_type") {
        case .string(let name):
            guard let match = SNPEvidence.CertType.names.first(where: { $0.1.utf8.elementsEqual(name.utf8) }) else {
                throw KeyBrokerProtocolError(.invalidValue, field: typePath, reason: "unknown certificate type \"\(name)\"")
            }
            type = match.0
        case .object:
            let other = try JSONMembers(entry.required("cert_type"), path: typePath)
            guard case .string(let text) = try other.required("OTHER") else {
                throw KeyBrokerProtocolError(.typeMismatch, field: typePath + ".OTHER", reason: "expected a UUID string")
            }
            guard let guid = SNPEvidence.CertType.normalizedGUID(text) else {
                throw KeyBrokerProtocolError(.invalidValue, field: typePath + ".OTHER", reason: "\"\(text)\" is not a UUID")
            }
            type = .other(guid: guid)
        default:
            throw KeyBrokerProtocolError(.typeMismatch, field: typePath, reason: "expected a certificate type name or {\"OTHER\": uuid}")
        }
        self.init(certType: type, data: try entry.bytes("data", count: nil))
    }
}

/// A JSON object's members with the path of the object, for typed errors.
struct JSONMembers {
    let members: [String: JSONValue]
    let path: String

    init(_ value: JSONValue, path: String) throws(KeyBrokerProtocolError) {
        guard case .object(let members) = value else {
            throw KeyBrokerProtocolError(value == .null ? .missingField : .typeMismatch, field: path, reason: "expected an object")
        }
        self.members = members
        self.path = path
    }

    func field(_ name: String) -> String { path.isEmpty ? name : path + "." + name }

    /// The member, or nil when absent or `null`.
    func optional(_ name: String) -> JSONValue? {
        guard let value = members[name], value != .null else { return nil }
        return value
    }

    func required(_ name: String) throws(KeyBrokerProtocolError) -> JSONValue {
        guard let value = optional(name) else { throw KeyBrokerProtocolError(.missingField, field: field(name), reason: "required member is missing or null") }
        return value
    }

    func object(_ name: String) throws(KeyBrokerProtocolError) -> JSONMembers { try JSONMembers(required(name), path: field(name)) }

    func integer<I: FixedWidthInteger>(_ name: String) throws(KeyBrokerProtocolError) -> I {
        try Self.integer(required(name), field: field(name))
    }

    func optionalInteger<I: FixedWidthInteger>(_ name: String) throws(KeyBrokerProtocolError) -> I? {
        guard let value = optional(name) else { return nil }
        return try Self.integer(value, field: field(name)) as I
    }

    static func integer<I: FixedWidthInteger>(_ value: JSONValue, field: String) throws(KeyBrokerProtocolError) -> I {
        switch value {
        case .integer(let number):
            guard let exact = I(exactly: number) else {
                throw KeyBrokerProtocolError(.invalidValue, field: field, reason: "\(number) is out of range for \(I.self)")
            }
            return exact
        case .number(let number):
            throw KeyBrokerProtocolError(.invalidValue, field: field, reason: "\(number) is not an integer \(I.self) (no fraction or exponent)")
        default:
            throw KeyBrokerProtocolError(.typeMismatch, field: field, reason: "expected an integer")
        }
    }

    /// An array of integers 0…255: exactly `count` of them, or any number when `count` is nil.
    func bytes(_ name: String, count: Int?) throws(KeyBrokerProtocolError) -> [UInt8] {
        guard case .array(let elements) = try required(name) else {
            throw KeyBrokerProtocolError(.typeMismatch, field: field(name), reason: "expected an array of byte values")
        }
        if let count, elements.count != count {
            throw KeyBrokerProtocolError(.invalidValue, field: field(name), reason: "expected exactly \(count) byte values, found \(elements.count)")
        }
        var bytes = [UInt8](repeating: 0, count: elements.count)
        for index in elements.indices {
            guard case .integer(let value) = elements[index], value >= 0, value <= 255 else {
                bytes[index] = try Self.integer(elements[index], field: field(name) + "[\(index)]")
                continue
            }
            bytes[index] = UInt8(truncatingIfNeeded: value)
        }
        return bytes
    }
}
