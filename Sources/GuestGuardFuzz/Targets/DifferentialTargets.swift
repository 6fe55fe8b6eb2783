import CanonicalJSON
import GuestGuardConfig
import SNPABI

/// Fuzzed comparisons with independent implementations in `fuzz/peer.py` (`FuzzPeer`): both sides
/// must accept the same inputs and, when they accept, produce the same result.
enum DifferentialTargets {
    /// Our parse → RFC 8785 canonical bytes against Python `json` + `rfc8785` (CanonicalJSON).
    static let canonicalJSON = FuzzTarget(name: "diff-jcs", summary: "differential: canonical JSON vs Python rfc8785") { input in
        let limits = JSONParser.Limits(maxBytes: 1 << 20, maxDepth: 500, maxStringBytes: 1 << 20)
        let ours: String
        do { ours = hex(try JSONParser.parse(input, limits: limits).canonicalBytes()) } catch { ours = "ERROR" }
        let theirs = FuzzPeer.shared.ask("J", input)
        fuzzCheck(ours == theirs, "canonical JSON differs: ours \(ours) python \(theirs) for \(hex(input))")
    }

    /// Our TOML reader against Python's `tomllib`: what we accept, tomllib accepts with the same
    /// values; what tomllib accepts without floats or dates, we accept, unless we reject it as
    /// outside the subset (`ConfigError.Reason.unsupported`) or over a limit.
    static let toml = FuzzTarget(name: "diff-toml", summary: "differential: TOML reader vs Python tomllib (accept/reject and values)") { input in
        let ours: String
        do { ours = try String(decoding: json(TOMLTable(parsingUTF8: input, fileName: "fuzz.toml")).serializedBytes(), as: UTF8.self) } catch {
            // Outside the subset by design (GuestGuardConfig: octal/binary integers, floats, dates) or
            // over the reader's limits: tomllib may accept it, and that is no disagreement.
            if let error = error as? ConfigError, isDeliberateRejection(error.reason) { return }
            ours = "ERROR"
        }
        let theirs = FuzzPeer.shared.ask("T", input)
        if ours == "ERROR" && (theirs == "ERROR" || theirs.hasPrefix("UNSUPPORTED")) { return }
        fuzzCheck(ours == theirs, "TOML differs: ours \(ours) python \(theirs) for \(hex(input))")
    }

    /// Report fields from `AttestationReport(bytes:)` against a struct-based parse of the layout.
    static let report = FuzzTarget(name: "diff-report", summary: "differential: SNP report fields vs a Python struct parse of snp-abi.md") { input in
        for bytes in input.count == AttestationReport.byteCount ? [input] : [input, SNPABITargets.resizedToReport(input)] {
            let ours = (try? AttestationReport(bytes: bytes)).map(fields) ?? "ERROR"
            let theirs = FuzzPeer.shared.ask("R", bytes)
            fuzzCheck(ours == theirs || (ours == "ERROR" && theirs.hasPrefix("ERROR")), "report fields differ:\nours   \(ours)\npython \(theirs)")
        }
    }

    /// Strict Base64 (padded, RFC 4648 §4) and base64url (unpadded, §5) against the reference rule.
    static let base64 = FuzzTarget(name: "diff-base64", summary: "differential: Base64/Base64URL strictness vs a reference rule") { input in
        guard let text = String(validating: input, as: UTF8.self) else { return }
        for (mode, decode) in [("s", Base64.decode), ("u", Base64URL.decode)] as [(String, (String) throws(Base64DecodingError) -> [UInt8])] {
            let ours: String
            do { ours = hex(try decode(text)) } catch { ours = "ERROR" }
            let theirs = FuzzPeer.shared.ask("B", Array(mode.utf8) + input)
            fuzzCheck(ours == theirs, "base64 (\(mode)) differs: ours \(ours) python \(theirs) for \(hex(input))")
        }
    }

    static func isDeliberateRejection(_ reason: ConfigError.Reason) -> Bool {
        switch reason {
        case .unsupported, .nestingTooDeep, .inputTooLarge, .integerOverflow: return true
        default: return false
        }
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes { out += [digits[Int(byte >> 4)], digits[Int(byte & 15)]] }
        return String(decoding: out, as: UTF8.self)
    }

    /// A TOML tree as JSON (tables → objects, arrays → arrays) for comparison with the peer.
    static func json(_ table: TOMLTable) -> JSONValue {
        .object(Dictionary(uniqueKeysWithValues: table.entries.map { ($0.key, json($0.value)) }))
    }

    static func json(_ value: ConfigValue) -> JSONValue {
        switch value.kind {
        case .string(let text): return .string(text)
        case .integer(let number): return .integer(number)
        case .boolean(let flag): return .bool(flag)
        case .array(let elements): return .array(elements.map(json))
        case .table(let table): return json(table)
        }
    }

    /// The fields in `fuzz/peer.py`'s `report_fields` order and format.
    static func fields(_ report: AttestationReport) -> String {
        func x(_ value: some BinaryInteger) -> String { String(value, radix: 16) }
        func fw(_ version: FirmwareVersion) -> String { "\(version.major).\(version.minor).\(version.build)" }
        let cpuid = report.cpuidFamilyID.map { "\($0)/\(report.cpuidModelID ?? 0)/\(report.cpuidStepping ?? 0)" } ?? "-"
        let pairs: [(String, String)] = [
            ("version", "\(report.version)"), ("guest_svn", "\(report.guestSVN)"), ("policy", x(report.policy.rawValue)),
            ("family_id", hex(report.familyID)), ("image_id", hex(report.imageID)), ("vmpl", "\(report.vmpl)"),
            ("signature_algo", "\(report.signatureAlgorithm)"), ("current_tcb", x(report.currentTCB.rawValue)),
            ("platform_info", x(report.platformInfo.rawValue)), ("key_info", x(report.keyInfo.rawValue)),
            ("report_data", hex(report.reportData)), ("measurement", hex(report.measurement)), ("host_data", hex(report.hostData)),
            ("id_key_digest", hex(report.idKeyDigest)), ("author_key_digest", hex(report.authorKeyDigest)),
            ("report_id", hex(report.reportID)), ("report_id_ma", hex(report.reportIDMA)), ("reported_tcb", x(report.reportedTCB.rawValue)),
            ("cpuid", cpuid), ("chip_id", hex(report.chipID)), ("committed_tcb", x(report.committedTCB.rawValue)),
            ("current_fw", fw(report.currentFirmware)), ("committed_fw", fw(report.committedFirmware)),
            ("launch_tcb", x(report.launchTCB.rawValue)), ("launch_mit", report.launchMitigationVector.map(x) ?? "-"),
            ("current_mit", report.currentMitigationVector.map(x) ?? "-"),
            ("signature_r", hex(report.signature.r)), ("signature_s", hex(report.signature.s)),
        ]
        return "OK " + pairs.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
    }
}
