import CanonicalJSON

/// How the challenge nonce and the guest's key are bound into SNP REPORT_DATA (spec §2.3–2.4):
///
/// ```
/// REPORT_DATA = hash( JCS({"additional-evidence": <string>, "nonce": <nonce>, "tee-pubkey": <JWK>}) )
///               ‖ zero bytes up to 64
/// ```
///
/// The KBS rebuilds this object itself from the *typed* key (TR `kbs/src/attestation/backend.rs:346-359`)
/// and hashes its RFC 8785 form (TR `attestation-service/src/lib.rs:321-340`); guest-components
/// computes the same (GC `rcar_client.rs:166-178`). For SNP the hash is SHA-384 (Trustee:
/// always; guest-components: unless the challenge selects another, `HashAlgorithm`).
///
/// The hash function is a parameter so that this module stays free of crypto: pass OpenSSL's
/// SHA-384 (or the algorithm `Challenge.hashAlgorithm()` names).
public enum RuntimeDataBinding {
    /// The hashed object's canonical (RFC 8785) UTF-8 bytes.
    ///
    /// - Parameter additionalEvidence: the `tee-evidence.additional_evidence` string (`""` for
    ///   a plain SNP guest). Pass nil for the binding of *additional device* evidence, which
    ///   Trustee builds without this member (TR `backend.rs:350-353`).
    public static func preimage(nonce: String, teePubkey: EphemeralPublicKey, additionalEvidence: String?) -> [UInt8] {
        var members: [String: JSONValue] = ["nonce": .string(nonce), "tee-pubkey": teePubkey.jwk]
        if let additionalEvidence { members["additional-evidence"] = .string(additionalEvidence) }
        do {
            return try JSONValue.object(members).canonicalBytes()
        } catch {
            preconditionFailure("an object of strings always serializes: \(error)")
        }
    }

    /// The 64 bytes of REPORT_DATA: `hash(preimage)` followed by zeros. The digest must be
    /// 1…64 bytes (the guest side rejects longer ones, GC `attester/src/snp/mod.rs:35-45`).
    public static func reportData(
        nonce: String, teePubkey: EphemeralPublicKey, additionalEvidence: String? = "",
        hash: (_ bytes: [UInt8]) -> [UInt8]
    ) throws(KeyBrokerProtocolError) -> [UInt8] {
        let digest = hash(preimage(nonce: nonce, teePubkey: teePubkey, additionalEvidence: additionalEvidence))
        guard (1...64).contains(digest.count) else {
            throw KeyBrokerProtocolError(
                .invalidDigest, field: "", reason: "a \(digest.count)-byte digest does not fit the 64 bytes of REPORT_DATA")
        }
        return digest + [UInt8](repeating: 0, count: 64 - digest.count)
    }
}

extension RuntimeDataBinding {
    /// The nonce an *additional device* (a TPM quote's qualifying data) binds: the digest of
    /// `JCS({"nonce", "tee-pubkey"})`, without padding (TR `backend.rs:350-353`; GC hashes the
    /// JCS of `RuntimeData` for device attesters). The primary SNP REPORT_DATA then binds the
    /// whole `additional_evidence` text, which carries the quote and the attestation key.
    public static func additionalEvidenceNonce(nonce: String, teePubkey: EphemeralPublicKey, hash: (_ bytes: [UInt8]) -> [UInt8]) -> [UInt8] {
        hash(preimage(nonce: nonce, teePubkey: teePubkey, additionalEvidence: nil))
    }
}
