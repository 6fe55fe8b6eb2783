import ArgumentParser
import CanonicalJSON
import GuestGuardLinux
import GuestGuardPlatform
import KeyBrokerServer
import SNPABI
import SNPPolicy

extension GuestGuardBroker.Policy {
    /// What both measurement commands share: the resource, the store, and the audit line.
    struct MeasurementChange: ParsableArguments {
        @Argument(help: "REPO/TYPE/TAG") var resource: String
        @Argument(help: ArgumentHelp("The MEASUREMENT (96 hex digits); or give --from-json.", valueName: "HEX")) var measurement: String?
        @Option(name: .customLong("from-json"), help: ArgumentHelp("A `guestguard measure --json` document (guestguard.measure/v1) whose measurement to take.", valueName: "FILE"))
        var fromJSON: String?
        @Option(help: ArgumentHelp("Append the audit line to FILE as well (the broker's --audit file).", valueName: "FILE"))
        var audit: String?
        @OptionGroup var data: DataOptions

        func validate() throws {
            guard (measurement == nil) != (fromJSON == nil) else { throw ValidationError("give the MEASUREMENT or --from-json FILE, one of them") }
        }

        /// The 48 bytes named on the command line or in the JSON document.
        func value() throws -> [UInt8] {
            if let measurement {
                guard let bytes = Hex.decode(measurement), bytes.count == 48 else {
                    throw ValidationError("\(String(reflecting: measurement)) is not a MEASUREMENT (96 hex digits, 48 bytes)")
                }
                return bytes
            }
            let path = fromJSON!
            let document: JSONValue
            do { document = try JSONParser.parse(try HostFileSystem().readFile(HostFileSystem.absolutePath(path), limit: 1 << 20)) } catch {
                throw BrokerCLIError(message: "--from-json \(path): not a JSON document", causes: ["\(error)"])
            }
            guard document["schema"]?.stringValue == "guestguard.measure/v1" else {
                throw BrokerCLIError(message: "--from-json \(path): schema is not guestguard.measure/v1 (the output of `guestguard measure --json`)")
            }
            let mode = document["mode"]?.stringValue ?? "?"
            guard mode == "snp" || mode == "snp:svsm" else {
                throw BrokerCLIError(message: "--from-json \(path): mode \(mode) is not an SNP launch measurement (snp or snp:svsm)")
            }
            guard let text = document["measurement"]?.stringValue, let bytes = Hex.decode(text), bytes.count == 48 else {
                throw BrokerCLIError(message: "--from-json \(path): measurement is not 96 hex digits")
            }
            return bytes
        }

        /// Applies `change` to the stored policy, stores it (the same checks as `policy set`), audits.
        func apply(endpoint: String, _ change: (inout ReportRequirements, [UInt8]) throws -> (label: String?, reason: String)) async throws {
            let id = try DataOptions.resource(resource)
            let bytes = try value()
            let (policy, label, reason) = try await data.withStorage { storage in
                var policy: SNPVerificationPolicy
                do { policy = try BrokerStore.parsePolicy(try await storage.policyText(for: id), for: id) } catch {
                    throw BrokerCLIError(message: "no policy for \(id) to change (`guestguard-broker policy set` first)", causes: ["\(error)"])
                }
                let (label, reason) = try change(&policy.report, bytes)
                do { try await storage.storePolicy(policy.tomlText(), for: id) } catch {
                    throw BrokerCLIError(message: "policy refused", causes: ["\(error)"])
                }
                return (policy, label, reason)
            }
            var event = AuditEvent(time: RFC3339.format(SystemClock().now()), decision: .policy, endpoint: endpoint, resource: id.description,
                                   measurement: Hex.encode(bytes), reasons: [reason])
            event.measurementLabel = label
            try FileAuditSink(path: audit.map(HostFileSystem.absolutePath), echo: true).record(event)
            let allowed = policy.report.measurements.map { value in Hex.encode(value) + (policy.report.measurementLabel(for: value).map { " (\($0))" } ?? "") }
            print("allowed measurements for \(id): \(allowed.count)")
            allowed.forEach { print("  \($0)") }
        }
    }

    struct AllowMeasurement: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "allow-measurement",
            abstract: "Add a labelled MEASUREMENT to RESOURCE's release policy (or relabel one already there); audited.",
            discussion: """
                The label names the launch (e.g. "kernel 6.1.0-58 initrd 2026-12-06"): the broker's release audit line \
                and `guestguard verify --posture` name the label that matched. The policy is stored again in the \
                `policy show` form (comments are not kept). Takes effect at the next key request; no restart.
                """
        )
        @OptionGroup var change: MeasurementChange
        @Option(help: ArgumentHelp("What the measurement stands for (1…128 printable bytes).", valueName: "TEXT")) var label: String

        func validate() throws {
            if let problem = ReportRequirements.labelProblem(label) { throw ValidationError("--label: \(problem)") }
        }

        func run() async throws {
            try await change.apply(endpoint: "policy allow-measurement") { report, bytes in
                let known = report.measurements.contains(bytes)
                report.allowMeasurement(bytes, label: label)
                return (label, known ? "measurement relabelled" : "measurement allowed")
            }
        }
    }

    struct RevokeMeasurement: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke-measurement",
            abstract: "Remove a MEASUREMENT from RESOURCE's release policy; audited. The last one cannot be removed.",
            discussion: "A guest launched with it gets no key from the next request on. To allow nothing, delete the resource."
        )
        @OptionGroup var change: MeasurementChange

        func run() async throws {
            try await change.apply(endpoint: "policy revoke-measurement") { report, bytes in
                let label = report.measurementLabel(for: bytes)
                guard report.measurements != [bytes] else {
                    throw BrokerCLIError(message: "\(Hex.encode(bytes)) is the only allowed measurement; allow its successor first")
                }
                guard report.revokeMeasurement(bytes) else { throw BrokerCLIError(message: "\(Hex.encode(bytes)) is not an allowed measurement of \(change.resource)") }
                return (label, "measurement revoked")
            }
        }
    }
}
