import CanonicalJSON
import SNPABI

/// SNP evidence straight from its parsed JSON (`tee-evidence.primary_evidence`), without the
/// Codable bridge: the broker decodes one per `/attest`, and the certificates alone are thousands
/// of array elements (spec §1.2–§1.4). The rules are serde's: integers are JSON integers in range
/// (a fraction or exponent spelling is not an integer), byte arrays have exactly N elements
/// 0…255, a missing `Option` or `null` is nil, a missing or `null` required member is an error,
/// unknown members are ignored. Errors name the member (`attestation_report.report_data[2]`).
///
/// The members become an ``AttestationReportDraft`` whose bytes SNPABI's parser then checks: no
/// offset is known here. Stricter than sev where sev would silently drop a value: a CPUID member
/// in v2, a mitigation vector before v5, or `fmc` on Milan/Genoa is an error, as is a missing one.
extension SNPEvidence {
    public init(json: JSONValue) throws(KeyBrokerProtocolError) {
        let top = try JSONMembers(json, path: "")
        let members = try JSONMembers(top.required("attestation_report"), path: "attestation_report")
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
        let report = try Self.report(members)
        do { self = try SNPEvidence(attestationReport: report, certChain: chain) } catch { throw Self.invalid(error) }
    }

    /// The JSON form, as sev ≥ 6.3 serializes it: every member, `null` for absent options and for
    /// `fmc` outside Turin, `cert_chain` `null` when nil. A u64 beyond JSON's exact integer range
    /// (here `Int64`) is refused, not rounded.
    public func json() throws(KeyBrokerProtocolError) -> JSONValue {
        let report = attestationReport
        func bytes(_ value: [UInt8]) -> JSONValue { .array(value.map { .integer(Int64($0)) }) }
        func tcb(_ value: TCBVersion) -> JSONValue {
            ["fmc": .optional(value.fmc), "bootloader": .integer(Int64(value.bootLoader)), "tee": .integer(Int64(value.tee)),
             "snp": .integer(Int64(value.snp)), "microcode": .integer(Int64(value.microcode))]
        }
        func firmware(_ value: FirmwareVersion) -> JSONValue {
            ["major": .integer(Int64(value.major)), "minor": .integer(Int64(value.minor)), "build": .integer(Int64(value.build))]
        }
        func integer(_ value: UInt64?, _ member: String) throws(KeyBrokerProtocolError) -> JSONValue {
            guard let value else { return .null }
            guard let exact = Int64(exactly: value) else {
                throw KeyBrokerProtocolError(.serializationFailed, field: "attestation_report." + member,
                                             reason: "\(value) does not fit a JSON integer (Int64)")
            }
            return .integer(exact)
        }
        let members: [String: JSONValue] = [
            "version": .integer(Int64(report.version)), "guest_svn": .integer(Int64(report.guestSVN)),
            "policy": try integer(report.policy.rawValue, "policy"), "family_id": bytes(report.familyID), "image_id": bytes(report.imageID),
            "vmpl": .integer(Int64(report.vmpl)), "sig_algo": .integer(Int64(report.signatureAlgorithm)), "current_tcb": tcb(report.currentTCB),
            "plat_info": try integer(report.platformInfo.rawValue, "plat_info"), "key_info": .integer(Int64(report.keyInfo.rawValue)),
            "report_data": bytes(report.reportData), "measurement": bytes(report.measurement), "host_data": bytes(report.hostData),
            "id_key_digest": bytes(report.idKeyDigest), "author_key_digest": bytes(report.authorKeyDigest),
            "report_id": bytes(report.reportID), "report_id_ma": bytes(report.reportIDMA), "reported_tcb": tcb(report.reportedTCB),
            "cpuid_fam_id": .optional(report.cpuidFamilyID), "cpuid_mod_id": .optional(report.cpuidModelID),
            "cpuid_step": .optional(report.cpuidStepping), "chip_id": bytes(report.chipID), "committed_tcb": tcb(report.committedTCB),
            "current": firmware(report.currentFirmware), "committed": firmware(report.committedFirmware), "launch_tcb": tcb(report.launchTCB),
            "launch_mit_vector": try integer(report.launchMitigationVector, "launch_mit_vector"),
            "current_mit_vector": try integer(report.currentMitigationVector, "current_mit_vector"),
            "signature": ["r": bytes(report.signature.r), "s": bytes(report.signature.s)],
        ]
        return ["attestation_report": .object(members), "cert_chain": certChain.map { JSONValue.array($0.map(\.json)) } ?? .null]
    }

    /// An evidence error as the protocol error naming its member.
    static func invalid(_ error: SNPEvidenceError) -> KeyBrokerProtocolError {
        KeyBrokerProtocolError(
            .invalidEvidence, field: error.field.map { "attestation_report.\($0)" } ?? "attestation_report",
            reason: error.description, underlying: .evidence(error))
    }

    /// The report the members describe: shape errors first (in member order), then which members
    /// this version and TCB layout need, then SNPABI's parse of the bytes they make.
    static func report(_ c: JSONMembers) throws(KeyBrokerProtocolError) -> AttestationReport {
        var draft = AttestationReportDraft()
        let version: UInt32 = try c.integer("version")
        draft.version = version
        draft.guestSVN = try c.integer("guest_svn")
        draft.policy = GuestPolicy(rawValue: try c.integer("policy"))
        draft.familyID = try c.bytes("family_id", count: 16)
        draft.imageID = try c.bytes("image_id", count: 16)
        draft.vmpl = try c.integer("vmpl")
        draft.signatureAlgorithm = try c.integer("sig_algo")
        let currentTCB = try c.tcb("current_tcb")
        draft.platformInfo = PlatformInfo(rawValue: try c.integer("plat_info"))
        draft.keyInfo = KeyInfo(rawValue: try c.integer("key_info"))
        draft.reportData = try c.bytes("report_data", count: 64)
        draft.measurement = try c.bytes("measurement", count: 48)
        draft.hostData = try c.bytes("host_data", count: 32)
        draft.idKeyDigest = try c.bytes("id_key_digest", count: 48)
        draft.authorKeyDigest = try c.bytes("author_key_digest", count: 48)
        draft.reportID = try c.bytes("report_id", count: 32)
        draft.reportIDMA = try c.bytes("report_id_ma", count: 32)
        let reportedTCB = try c.tcb("reported_tcb")
        let cpuidFamilyID: UInt8? = try c.optionalInteger("cpuid_fam_id")
        let cpuidModelID: UInt8? = try c.optionalInteger("cpuid_mod_id")
        let cpuidStepping: UInt8? = try c.optionalInteger("cpuid_step")
        draft.chipID = try c.bytes("chip_id", count: 64)
        let committedTCB = try c.tcb("committed_tcb")
        draft.currentFirmware = try c.firmwareVersion("current")
        draft.committedFirmware = try c.firmwareVersion("committed")
        let launchTCB = try c.tcb("launch_tcb")
        let launchMitigationVector: UInt64? = try c.optionalInteger("launch_mit_vector")
        let currentMitigationVector: UInt64? = try c.optionalInteger("current_mit_vector")
        let signature = try c.object("signature")
        let count = ReportSignature.componentByteCount
        draft.signature = ReportSignature(r: try signature.bytes("r", count: count), s: try signature.bytes("s", count: count))

        guard AttestationReport.supportedVersions.contains(version) else { throw invalid(.report(.unsupportedVersion(version))) }
        // (member, present, belongs to this version): CPUID from v3, mitigation vectors from v5.
        let optionals: [(String, Bool, Bool)] = [
            ("cpuid_fam_id", cpuidFamilyID != nil, version >= 3), ("cpuid_mod_id", cpuidModelID != nil, version >= 3),
            ("cpuid_step", cpuidStepping != nil, version >= 3), ("launch_mit_vector", launchMitigationVector != nil, version >= 5),
            ("current_mit_vector", currentMitigationVector != nil, version >= 5),
        ]
        for (member, present, belongs) in optionals where present != belongs {
            throw invalid(present ? .unexpectedField(member) : .missingField(member))
        }
        if let cpuidFamilyID, let cpuidModelID, let cpuidStepping { draft.cpuid = (cpuidFamilyID, cpuidModelID, cpuidStepping) }
        if let launchMitigationVector, let currentMitigationVector { draft.mitigationVectors = (launchMitigationVector, currentMitigationVector) }

        // SNPABI's rule decides the TCB layout, exactly as it will when it parses the bytes.
        let generation: ProcessorGeneration?
        do {
            generation = try AttestationReport.generation(
                version: version, cpuidFamilyID: cpuidFamilyID, cpuidModelID: cpuidModelID, chipID: draft.chipID,
                keyInfo: draft.keyInfo, hint: nil)
        } catch { throw invalid(.report(error)) }
        guard let layout = AttestationReport.tcbLayout(version: version, generation: generation, chipID: draft.chipID, keyInfo: draft.keyInfo) else {
            if let cpuidFamilyID, let cpuidModelID { throw invalid(.unknownCPU(family: cpuidFamilyID, model: cpuidModelID)) }
            throw invalid(.maskedChipID)
        }
        var raw: [UInt64] = []
        for (member, tcb) in [("current_tcb", currentTCB), ("reported_tcb", reportedTCB), ("committed_tcb", committedTCB), ("launch_tcb", launchTCB)] {
            switch (layout, tcb.fmc) {
            case (.turin, nil): throw invalid(.missingField(member + ".fmc"))
            case (.legacy, .some): throw invalid(.unexpectedField(member + ".fmc"))
            default: break
            }
            raw.append(TCBVersion.rawValue(bootLoader: tcb.bootLoader, tee: tcb.tee, snp: tcb.snp, microcode: tcb.microcode, fmc: tcb.fmc, layout: layout))
        }
        (draft.currentTCB, draft.reportedTCB, draft.committedTCB, draft.launchTCB) = (raw[0], raw[1], raw[2], raw[3])
        do { return try AttestationReport(bytes: draft.serializedBytes()) } catch { throw invalid(.report(error)) }
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

    /// sev `TcbVersion` (SEV7 `host/types/snp.rs:506-521`): `{"fmc":u8|null,"bootloader","tee","snp","microcode"}`.
    func tcb(_ name: String) throws(KeyBrokerProtocolError) -> (fmc: UInt8?, bootLoader: UInt8, tee: UInt8, snp: UInt8, microcode: UInt8) {
        let t = try object(name)
        return (try t.optionalInteger("fmc"), try t.integer("bootloader"), try t.integer("tee"), try t.integer("snp"), try t.integer("microcode"))
    }

    /// sev `Version` (SEV7 `snp.rs:136-146`): `{"major","minor","build"}`.
    func firmwareVersion(_ name: String) throws(KeyBrokerProtocolError) -> FirmwareVersion {
        let v = try object(name)
        return FirmwareVersion(major: try v.integer("major"), minor: try v.integer("minor"), build: try v.integer("build"))
    }

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
