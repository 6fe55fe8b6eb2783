import CanonicalJSON
import GuestGuardHTTP
import GuestGuardPlatform

extension PostureEndpoints {
    /// `GET /v1/attestation?nonce=B64URL`: validate the nonce (400), take a token (429 with
    /// `Retry-After`), request a report whose REPORT_DATA binds nonce and current document
    /// (`AttestationBinding`), answer with report, certificates and document (503 when the
    /// secure processor fails).
    func attestation(_ request: HTTPRequest) async -> HTTPResponse {
        let nonce: [UInt8]
        switch Self.nonce(in: request) {
        case .success(let value): nonce = value
        case .failure(let error):
            counters.update { $0.rejected += 1 }
            return Self.plain(.badRequest, error.reason)
        }
        if case .limited(let retryAfter) = bucket.withLock({ $0.take(at: ContinuousClock.now - monotonicOrigin) }) {
            counters.update { $0.rateLimited += 1 }
            var response = Self.plain(.tooManyRequests, "rate limited: retry in \(retryAfter) s")
            response.headers.add(name: "Retry-After", value: String(retryAfter))
            return response
        }
        let (document, digest) = rendered.withLock { ($0.document, $0.documentDigest) }
        let raw: RawAttestation
        do {
            let reportData = try AttestationBinding.reportData(nonce: nonce, documentDigest: digest)
            // The provider blocks its thread (retry backoff included): off the cooperative pool.
            let (provider, vmpl) = (self.provider, settings.vmpl)
            raw = try await runOffPool { Result { () throws(AttestationFetchError) in try provider.attestationReport(reportData: reportData, vmpl: vmpl) } }.get()
        } catch {
            counters.update { $0.failed += 1 }
            logger.warning("attestation report failed", metadata: ["error": "\(error)"])
            return Self.plain(.serviceUnavailable, "no attestation report available")
        }
        let response = PostureAttestationResponse(
            nonce: nonce, report: raw.report, certificateTable: raw.certificates, provider: raw.provider, document: document)
        let body: [UInt8]
        do { body = try response.json(documentDigest: digest).canonicalBytes() } catch {
            counters.update { $0.failed += 1 }
            return Self.plain(.internalServerError, "cannot serialize the response")
        }
        let issuedAt = clock.now().seconds
        counters.update {
            $0.issued += 1
            $0.lastIssuedSeconds = issuedAt
        }
        return HTTPResponse(status: .ok, headers: ["Content-Type": "application/json", "Cache-Control": "no-store"], body: body)
    }

    /// Exactly one `nonce` parameter, base64url without padding, 16–64 bytes decoded.
    static func nonce(in request: HTTPRequest) -> Result<[UInt8], NonceError> {
        let values = request.query.filter { $0.name == "nonce" }.map(\.value)
        guard values.count == 1, let text = values.first, !text.isEmpty else {
            return .failure(NonceError(values.count > 1 ? "give exactly one nonce parameter" : "missing nonce parameter (base64url, 16–64 bytes)"))
        }
        // 64 bytes are 86 base64url characters; refuse longer text before decoding it.
        guard text.utf8.count <= 88, let bytes = try? Base64URL.decode(text) else {
            return .failure(NonceError("nonce is not base64url without padding, or too long"))
        }
        guard AttestationBinding.nonceByteCounts.contains(bytes.count) else {
            return .failure(NonceError("nonce is \(bytes.count) bytes; it must be 16–64"))
        }
        return .success(bytes)
    }

    struct NonceError: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    static func plain(_ status: HTTPStatus, _ text: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"], body: Array("\(text)\n".utf8))
    }
}
