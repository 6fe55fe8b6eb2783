import ArgumentParser
import GuestGuardBoot
import GuestGuardCore
import GuestGuardPosture
import GuestGuardHTTP
import GuestGuardLinux
import PostureService

/// `guestguard verify --posture URL`: the tenant's check of a `guestguard serve` daemon.
struct PostureVerifyOptions: ParsableArguments {
    @Option(name: .customLong("posture"), help: ArgumentHelp("Base URL of a `guestguard serve` daemon: verify its /v1/attestation.", valueName: "URL"))
    var url: String?

    @Option(name: .customLong("broker-ca"), help: ArgumentHelp("Pinned CA (PEM) for an https --posture URL.", valueName: "FILE"))
    var brokerCA: String?

    @Option(name: .customLong("broker-pin"), help: ArgumentHelp("Pinned SHA-256 of the server certificate's SubjectPublicKeyInfo (hex), for https.", valueName: "HEX"))
    var brokerPin: String?

    @Option(name: .customLong("timeout"), help: "Seconds to wait for the daemon.")
    var timeout: Int = 30

    @Option(name: .customLong("accept-posture"), help: ArgumentHelp("Worst overall posture that passes: ok, unknown, warn or fail (fail: check only report and binding).", valueName: "STATE"))
    var acceptPosture: String = "ok"

    func validate() throws {
        guard PostureState(rawValue: acceptPosture) != nil else { throw ValidationError("--accept-posture must be ok, unknown, warn or fail") }
        guard brokerCA == nil || brokerPin == nil else { throw ValidationError("give --broker-ca or --broker-pin, not both") }
        if let url, url.lowercased().hasPrefix("https:"), brokerCA == nil, brokerPin == nil {
            throw ValidationError("an https --posture URL needs --broker-ca or --broker-pin (the system trust store is not used)")
        }
    }
}

extension GuestGuard.Verify {
    /// Fetches `/v1/attestation` with a fresh 32-byte nonce and verifies report, binding and posture.
    func verifyPosture(url: String, at time: Int64) throws {
        let verificationPolicy = try policy.map(Self.loadPolicy)
        let roots = try (verificationPolicy?.trust.arkCertificatePaths ?? []).map { try Self.certificate(at: $0, option: "policy root") }
        let verifier = PostureAttestationVerifier(appraiser: try Self.appraiser(policy: verificationPolicy, roots: roots),
                                                  acceptedPosture: PostureState(rawValue: posture.acceptPosture) ?? .ok)
        let nonce: [UInt8]
        do { nonce = try GetrandomSource().bytes(32) } catch { throw CLIError(message: "no nonce", causes: [error.description]) }
        let body: [UInt8]
        do {
            let base = try HTTPURL(url)
            let target = try base.replacingTarget(PostureEndpointPaths.attestation(base: base.target, nonce: nonce))
            let tls = try BrokerTLS.configuration(caFile: posture.brokerCA, pin: posture.brokerPin)
            let client = try HTTPClient(configuration: HTTPClientConfiguration(
                tls: tls, requestTimeout: .seconds(posture.timeout), maxResponseBodyBytes: 1 << 20, userAgent: "guestguard/\(GuestGuardVersion.string)"))
            defer { client.shutdown() }
            let response = try client.execute(HTTPClientRequest(method: .get, url: target))
            guard response.status == .ok else {
                throw CLIError(message: "\(target) answered \(response.status)", causes: [String(decoding: response.body.prefix(200), as: UTF8.self)])
            }
            body = response.body
        } catch let error as HTTPClientError {
            throw CLIError(message: "cannot fetch the attestation from \(url)", causes: [error.description])
        }
        let result = verifier.verify(body: body, nonce: nonce, at: time)
        if json {
            try Output.json(result.json)
        } else {
            result.appraisal?.report?.tenantSummaryLines.forEach { print($0) }
            if let document = result.document { print(PostureDocumentText.render(document)) }
            result.lines.forEach { print($0) }
            if let report = result.appraisal?.report, let label = verificationPolicy?.report.measurementLabel(for: report.measurement) {
                print("measurement allowed as: \(label)")
            }
            if verificationPolicy == nil { print("note: no --policy: measurement, TCB and debug rules were not checked") }
            print(result.passed ? "VERIFIED" : "NOT VERIFIED")
        }
        if !result.passed { throw ExitCode(1) }
    }
}
