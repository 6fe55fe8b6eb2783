import CanonicalJSON
import GuestGuardCrypto
import GuestGuardPlatform
import KeyBrokerProtocol
import SNPABI

/// The guest side of Trustee's KBS 0.4.0 RCAR handshake: `/auth` → challenge; a fresh SNP report
/// whose REPORT_DATA = SHA-384(JCS({additional-evidence, nonce, tee-pubkey})) ‖ 0¹⁶; `/attest` with
/// the report and its certificate chain; `GET /resource/…`; open the JWE with the ephemeral key.
/// Brokers are tried in order; rounds repeat with backoff while failures are transient. Within a
/// handshake, a step whose broker died (connection failure) is retried at the next broker, which on
/// a shared store knows the session (``sessionStep(_:_:_:)``, docs/broker.md).
public struct KeyBrokerClient: Sendable {
    public let brokers: [String]
    public let transport: any KBSTransport
    public let reports: any AttestationReportProvider
    public let clock: any WallClock
    public let random: any RandomSource
    public let retry: RetryPolicy
    /// Makes the ephemeral key for each handshake (a fresh one per broker attempt).
    public let makeKeyPair: @Sendable () throws -> any ResourceKeyPair
    /// Evidence sent beside the SNP report (a vTPM quote); nil sends `additional_evidence: ""`,
    /// byte for byte what a plain SNP guest sends.
    public var additionalEvidence: (any AdditionalEvidenceProvider)? = nil
    /// How long one handshake with one broker may take in all (KeyBrokerClient+Deadline.swift); nil: each
    /// request is bounded by the transport's own timeout only.
    public var brokerDeadline: Duration? = nil

    public init(brokers: [String], transport: any KBSTransport, reports: any AttestationReportProvider, clock: any WallClock,
                random: any RandomSource, retry: RetryPolicy = .brokerRounds, makeKeyPair: @escaping @Sendable () throws -> any ResourceKeyPair)
    {
        self.brokers = brokers
        self.transport = transport
        self.reports = reports
        self.clock = clock
        self.random = random
        self.retry = retry
        self.makeKeyPair = makeKeyPair
    }

    /// Fetches `resource` (`repo/type/tag`) from the first broker that releases it.
    public func fetch(resource: String) throws(KeyBrokerClientError) -> SecretBytes {
        try fetchReleasing(resource: resource).secret
    }

    /// ``fetch(resource:)``, also naming the broker that released the resource and the `key-id` it
    /// sent as the JWE `kid` (nil when it sent none, as Trustee).
    public func fetchReleasing(resource: String) throws(KeyBrokerClientError) -> (broker: String, secret: SecretBytes, keyID: String?) {
        let (broker, released) = try fetchReleasing(resources: [resource])
        return (broker, released[0].secret, released[0].keyID)
    }

    /// Several resources with one attestation: one `/auth` and one `/attest`, then `GET /resource/…`
    /// for each in the same session (KBS 0.4.0 keeps a session attested until it expires), from the
    /// first broker that releases them all; the keys in the order of `resources`. A refusal of any
    /// of them fails the handshake (all or nothing: a boot needs every volume).
    public func fetchReleasing(resources: [String]) throws(KeyBrokerClientError) -> (broker: String, released: [(secret: SecretBytes, keyID: String?)]) {
        precondition(!resources.isEmpty, "fetchReleasing(resources:) needs at least one resource")
        var failures: [KeyBrokerClientError] = []
        for round in 0..<retry.attempts {
            let jitter = Double((try? random.bytes(1).first) ?? 128) / 255
            let delay = retry.jitteredDelay(afterAttempt: round, fraction: jitter)
            if delay > .zero {
                clock.sleep(for: delay)
            }
            var roundFailures: [KeyBrokerClientError] = []
            for broker in brokers {
                do {
                    return (broker, try handshakeReleasing(broker: broker, resources: resources))
                } catch {
                    if case .attestation = error { throw error }  // the device, not the broker: no point in another broker
                    roundFailures.append(error)
                }
            }
            failures = roundFailures
            if !roundFailures.contains(where: \.isTransient) { break }
        }
        throw .allBrokersFailed(failures)
    }

    /// One RCAR handshake with one broker.
    public func handshake(broker: String, resource: String) throws(KeyBrokerClientError) -> SecretBytes {
        try handshakeReleasing(broker: broker, resources: [resource])[0].secret
    }

    /// ``handshake(broker:resource:)`` for each of `resources` in one session, also returning each JWE's
    /// `kid` (read only once the GCM tag, which covers the protected header, has verified).
    ///
    /// A step whose fate is unknown (its request went out, no answer came back) and whose retry is
    /// then refused with 401 (the first try consumed the nonce, or the session lived only on the
    /// replica that died) starts one fresh handshake at the broker that answered, instead of failing
    /// (``sessionStep(_:_:_:)``).
    func handshakeReleasing(broker: String, resources: [String]) throws(KeyBrokerClientError) -> [(secret: SecretBytes, keyID: String?)] {
        switch try handshakeAttempt(broker: broker, resources: resources) {
        case .released(let keys): return keys
        case .sessionLost(let answering, _):
            switch try handshakeAttempt(broker: answering, resources: resources) {
            case .released(let keys): return keys
            case .sessionLost(_, let refusal): throw refusal
            }
        }
    }

    /// One pass of auth → attest → resource (each of `resources`, in the attested session).
    func handshakeAttempt(broker: String, resources: [String]) throws(KeyBrokerClientError) -> HandshakeAttempt {
        let keyPair: any ResourceKeyPair
        do { keyPair = try makeKeyPair() } catch { throw .decryption(broker: broker, reason: "cannot create the ephemeral key: \(error)") }
        let deadline = handshakeDeadline()

        // 1. auth
        let authBody: [UInt8]
        do { authBody = try Request().jsonBytes() } catch { throw .protocolViolation(broker: broker, step: "auth", reason: error.description) }
        let authResponse = try exchange(broker, "auth", KBSHTTPRequest(method: "POST", path: "/kbs/v0/auth", headers: jsonHeaders, body: authBody), deadline: deadline)
        guard let cookie = Self.sessionCookie(authResponse) else {
            throw .protocolViolation(broker: broker, step: "auth", reason: "no kbs-session-id cookie in the answer")
        }
        let challenge: Challenge
        do { challenge = try Challenge(jsonBytes: authResponse.body) } catch {
            throw .protocolViolation(broker: broker, step: "auth", reason: "challenge: \(error)")
        }
        let hash: HashAlgorithm
        do { hash = try challenge.hashAlgorithm() } catch { throw .protocolViolation(broker: broker, step: "auth", reason: "\(error)") }
        guard let function = Self.hashFunction(hash) else {
            throw .protocolViolation(broker: broker, step: "auth", reason: "the broker selected \(hash), which guestguard does not implement")
        }

        // 2. evidence bound to the nonce and our key (and to the additional evidence, which is itself bound to both)
        let additional = try additionalEvidenceText(broker: broker, nonce: challenge.nonce, teePubkey: keyPair.publicKey, hash: function)
        let reportData: [UInt8]
        do {
            reportData = try RuntimeDataBinding.reportData(nonce: challenge.nonce, teePubkey: keyPair.publicKey, additionalEvidence: additional) {
                (try? function.hash($0)) ?? []
            }
        } catch { throw .protocolViolation(broker: broker, step: "attest", reason: "REPORT_DATA: \(error)") }
        let raw: RawAttestation
        do { raw = try reports.attestationReport(reportData: reportData, vmpl: 0) } catch { throw .attestation(error) }
        let attestation: Attestation
        do {
            let chain = try Self.certificateChain(raw.certificates)
            let evidence = try SNPEvidence(reportBytes: raw.report, certChain: chain)
            attestation = Attestation(runtimeData: RuntimeData(nonce: challenge.nonce, teePubkey: keyPair.publicKey),
                                      teeEvidence: try CompositeEvidence(snp: evidence, additionalEvidence: additional))
        } catch {
            throw .protocolViolation(broker: broker, step: "attest", reason: "building evidence: \(error)")
        }
        let attestBody: [UInt8]
        do { attestBody = try attestation.jsonBytes() } catch { throw .protocolViolation(broker: broker, step: "attest", reason: error.description) }

        // 3. attest (the session's later steps may be answered by another replica: sessionStep)
        let cookieHeader = (name: "Cookie", value: "\(KBSProtocol.sessionCookieName)=\(cookie)")
        let attestBroker: String
        switch try sessionStep(broker, "attest", KBSHTTPRequest(method: "POST", path: "/kbs/v0/attest", headers: jsonHeaders + [cookieHeader], body: attestBody), deadline: deadline) {
        case .answered(let answering, _): attestBroker = answering
        case .sessionLost(let answering, let refusal): return .sessionLost(broker: answering, refusal: refusal)
        }

        // 4. resources, each sealed to our key (a session that /attest answered stays attested for them all)
        var released: [(secret: SecretBytes, keyID: String?)] = []
        var stepBroker = attestBroker
        for resource in resources {
            let answer: KBSHTTPResponse
            switch try sessionStep(stepBroker, "resource \(resource)", KBSHTTPRequest(method: "GET", path: "/kbs/v0/resource/\(resource)", headers: [cookieHeader]), deadline: deadline) {
            case .answered(let answering, let response): (stepBroker, answer) = (answering, response)
            case .sessionLost(let answering, let refusal): return .sessionLost(broker: answering, refusal: refusal)
            }
            let response: Response
            do { response = try Response(jsonBytes: answer.body) } catch {
                throw .protocolViolation(broker: stepBroker, step: "resource \(resource)", reason: "JWE: \(error)")
            }
            do { released.append((try keyPair.open(response), response.header.keyID)) } catch { throw .decryption(broker: stepBroker, reason: "\(error)") }
        }
        return .released(released)
    }

    /// `additional_evidence` for this handshake: `""` without a provider.
    func additionalEvidenceText(broker: String, nonce: String, teePubkey: EphemeralPublicKey, hash: HashFunction) throws(KeyBrokerClientError) -> String {
        guard let additionalEvidence else { return "" }
        let binding = RuntimeDataBinding.additionalEvidenceNonce(nonce: nonce, teePubkey: teePubkey) { (try? hash.hash($0)) ?? [] }
        do { return try AdditionalEvidence.text(try additionalEvidence.evidence(binding: binding)) } catch {
            throw .protocolViolation(broker: broker, step: "attest", reason: "additional evidence (TPM quote): \(error)")
        }
    }

    var jsonHeaders: [(name: String, value: String)] { [("Content-Type", "application/json"), ("User-Agent", "guestguard-kbs-client/1")] }

    func exchange(_ broker: String, _ step: String, _ request: KBSHTTPRequest, deadline: MonotonicInstant? = nil) throws(KeyBrokerClientError) -> KBSHTTPResponse {
        let response = try send(request, to: broker, step: step, deadline: deadline)
        guard response.status == 200 else {
            let problem = try? ProblemDetails(jsonBytes: response.body)
            throw .refused(broker: broker, step: step, status: response.status, type: problem?.type, detail: problem?.detail)
        }
        return response
    }

    static func sessionCookie(_ response: KBSHTTPResponse) -> String? {
        for header in response.headers where header.name.lowercased() == "set-cookie" {
            let first = header.value.split(separator: ";").first ?? ""
            let parts = first.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0] == KBSProtocol.sessionCookieName, !parts[1].isEmpty { return String(parts[1]) }
        }
        return nil
    }

    static func hashFunction(_ algorithm: HashAlgorithm) -> HashFunction? {
        switch algorithm {
        case .sha256: return .sha256
        case .sha384: return .sha384
        case .sha512: return .sha512
        case .sm3: return nil
        }
    }

    /// The extended report's certificate table as the `cert_chain` guest-components sends.
    static func certificateChain(_ table: [UInt8]?) throws -> [SNPEvidence.CertTableEntry]? {
        guard let table, !table.isEmpty else { return nil }
        let parsed = try CertificateTable(bytes: table)
        return parsed.entries.compactMap { entry in
            switch entry.kind {
            case .ark: return .init(certType: .ark, data: entry.data)
            case .ask: return .init(certType: .ask, data: entry.data)
            case .vcek: return .init(certType: .vcek, data: entry.data)
            case .vlek: return .init(certType: .vlek, data: entry.data)
            default: return nil
            }
        }
    }
}
