import GuestGuardCrypto
import GuestGuardPlatform
import P384ECDSA
import SNPABI

/// A simulated AMD secure processor: signs real-format SEV-SNP attestation reports (v3 or v5)
/// with a test VCEK that chains to a test ARK. **Not AMD.** It exists so the whole system can run
/// on machines without SNP hardware; it is used only when explicitly configured (`--simulator
/// DIR`), and a verifier trusts its ARK only when a policy names that ARK.
///
/// Directory layout (written by `initialize`): `simulator.toml` (settings), `ark.pem`, `ask.pem`,
/// `vcek.pem`, `cert_chain.pem` (ASK then ARK, as AMD's KDS serves it), `vcek-key.pem` and
/// `ark-key.pem` (mode 0600; the latter only so a stand-in KDS can sign a CRL), and `policy.toml`, an example verification policy trusting this ARK and measurement.
public final class SimulatedSecureProcessor: @unchecked Sendable {
    public let settings: SimulatorSettings
    public let ark: X509Certificate
    public let ask: X509Certificate
    public let vcek: X509Certificate
    /// The VCEK's private key in nettle's form: every report is signed with nettle's `ecdsa_sign` (P384ECDSA, the
    /// same library that verifies reports in the broker), the nonce from `SecureRandom`.
    let vcekSigner: P384ECDSAPrivateKey
    let random: any RandomSource

    init(settings: SimulatorSettings, ark: X509Certificate, ask: X509Certificate, vcek: X509Certificate, vcekSigner: P384ECDSAPrivateKey, random: any RandomSource) {
        self.settings = settings
        self.ark = ark
        self.ask = ask
        self.vcek = vcek
        self.vcekSigner = vcekSigner
        self.random = random
    }

    /// `key`'s private scalar handed to nettle (P384ECDSA).
    static func signer(for key: P384PrivateKey) throws(SimulatorError) -> P384ECDSAPrivateKey {
        let signer: Result<P384ECDSAPrivateKey, P384ECDSAError>
        do { signer = try key.withPrivateScalar { scalar in Result { () throws(P384ECDSAError) in try P384ECDSAPrivateKey(scalar: scalar) } } } catch {
            throw .crypto("reading the VCEK's private key: \(error)")
        }
        do { return try signer.get() } catch { throw .crypto("importing the VCEK's private key into nettle: \(error)") }
    }

    /// Loads a simulator from `directory`.
    public convenience init(directory: String, files: any FileSystem, random: any RandomSource) throws(SimulatorError) {
        func text(_ name: String) throws(SimulatorError) -> String {
            do { return try files.readText("\(directory)/\(name)") } catch { throw .file(error) }
        }
        let settings = try SimulatorSettings(parsing: try text("simulator.toml"), fileName: "\(directory)/simulator.toml")
        do {
            let ark = try Self.single(try text("ark.pem"), "ark.pem")
            let ask = try Self.single(try text("ask.pem"), "ask.pem")
            let vcek = try Self.single(try text("vcek.pem"), "vcek.pem")
            let key = try P384PrivateKey(pkcs8PEM: try text("vcek-key.pem"))
            guard try key.publicKey().subjectPublicKeyInfoDER() == vcek.publicKey().subjectPublicKeyInfoDER() else {
                throw SimulatorError.invalidSetting(key: "vcek-key.pem", reason: "does not belong to vcek.pem")
            }
            self.init(settings: settings, ark: ark, ask: ask, vcek: vcek, vcekSigner: try Self.signer(for: key), random: random)
        } catch let error as SimulatorError {
            throw error
        } catch {
            throw .crypto("loading \(directory): \(error)")
        }
    }

    private static func single(_ pem: String, _ name: String) throws -> X509Certificate {
        let certificates = try X509Certificate.certificates(pemEncoded: pem)
        guard certificates.count == 1 else { throw SimulatorError.invalidSetting(key: name, reason: "expected one certificate, found \(certificates.count)") }
        return certificates[0]
    }

    /// Mints a fresh chain for `settings` and writes the directory. Existing files are replaced.
    @discardableResult
    public static func initialize(directory: String, settings: SimulatorSettings, files: any FileSystem, random: any RandomSource,
                                  now: Int64) throws(SimulatorError) -> SimulatedSecureProcessor
    {
        try settings.validate()
        let chain = try SimulatedCertificateChain.mint(settings: settings, now: now)
        let processor = SimulatedSecureProcessor(
            settings: settings, ark: chain.ark, ask: chain.ask, vcek: chain.vcek, vcekSigner: try signer(for: chain.vcekKey), random: random)
        do {
            let arkPEM = try chain.ark.pemEncoded(), askPEM = try chain.ask.pemEncoded()
            let outputs: [(String, String, UInt32)] = [
                ("simulator.toml", settings.tomlText, 0o644),
                ("ark.pem", arkPEM, 0o644),
                ("ask.pem", askPEM, 0o644),
                ("vcek.pem", try chain.vcek.pemEncoded(), 0o644),
                ("cert_chain.pem", askPEM + arkPEM, 0o644),
                ("vcek-key.pem", try chain.vcekKey.pkcs8PEM(), 0o600),
                ("ark-key.pem", try chain.arkKey.pkcs8PEM(), 0o600),
                ("policy.toml", processor.examplePolicy, 0o644),
            ]
            try files.createDirectory(directory, mode: 0o755)
            for (name, text, mode) in outputs { try files.writeFile("\(directory)/\(name)", bytes: Array(text.utf8), mode: mode) }
        } catch let error as PlatformError {
            throw .file(error)
        } catch {
            throw .crypto("writing \(directory): \(error)")
        }
        return processor
    }

    /// SHA-256 of the ARK's DER, lower-case hex: what a policy names to trust this simulator.
    public var arkFingerprint: String { Hex.encode(ark.sha256Fingerprint) }

    /// Produces a signed report for `reportData` at `vmpl`, and the GHCB certificate table
    /// (ARK, ASK, VCEK) an extended report carries.
    public func attestation(reportData: [UInt8], vmpl: UInt32) throws(SimulatorError) -> (report: [UInt8], certificates: [UInt8]) {
        guard reportData.count == 64 else { throw .invalidRequest("REPORT_DATA must be 64 bytes, got \(reportData.count)") }
        guard vmpl <= 3 else { throw .invalidRequest("VMPL \(vmpl) is above 3 (SEV firmware status INVALID_PARAM)") }
        var draft = AttestationReportDraft()
        draft.version = settings.reportVersion
        draft.guestSVN = settings.guestSVN
        draft.policy = GuestPolicy(rawValue: settings.policy)
        draft.familyID = settings.familyID
        draft.imageID = settings.imageID
        draft.vmpl = vmpl
        let tcb = settings.tcb.rawValue
        draft.currentTCB = tcb
        draft.reportedTCB = tcb
        draft.committedTCB = tcb
        draft.launchTCB = tcb
        draft.platformInfo = PlatformInfo(rawValue: settings.platformInfo)
        draft.keyInfo = KeyInfo(rawValue: 0)  // signed by the VCEK, chip key not masked
        draft.reportData = reportData
        draft.measurement = settings.measurement
        draft.hostData = settings.hostData
        draft.idKeyDigest = settings.idKeyDigest
        draft.authorKeyDigest = settings.authorKeyDigest
        do { draft.reportID = try random.bytes(32) } catch { throw .file(error) }
        draft.cpuid = settings.cpuid
        draft.chipID = settings.chipID
        draft.currentFirmware = settings.firmware
        draft.committedFirmware = settings.firmware
        if settings.reportVersion >= 5 { draft.mitigationVectors = (0, 0) }
        let unsigned = draft.serializedBytes()
        let signature: (r: [UInt8], s: [UInt8])
        do {
            let digest = try HashFunction.sha384.hash(unsigned[0..<AttestationReport.signedByteCount])
            signature = try vcekSigner.sign(digest: digest) { buffer in (try? SecureRandom.fill(buffer)) != nil }
        } catch {
            throw .crypto("signing the report: \(error)")
        }
        draft.signature = ReportSignature(r: Self.littleEndian72(signature.r), s: Self.littleEndian72(signature.s))
        let bytes = draft.serializedBytes()
        do { _ = try AttestationReport(bytes: bytes) } catch { throw .selfCheckFailed(error) }
        let table = CertificateTable.serialize([(.ark, ark.derBytes), (.ask, ask.derBytes), (.vcek, vcek.derBytes)])
        return (bytes, table)
    }

    /// A 48-byte big-endian scalar as the report stores it: 72 bytes little-endian, zero-padded.
    static func littleEndian72(_ bigEndian: [UInt8]) -> [UInt8] {
        Array(bigEndian.reversed()) + [UInt8](repeating: 0, count: 72 - bigEndian.count)
    }
}
