import GuestGuardCrypto
import SNPABI

/// Mints a test ARK → ASK → VCEK chain with AMD's algorithms (RSA-4096 ARK/ASK signing with
/// RSASSA-PSS SHA-384 salt 48, an ECDSA P-384 VCEK with serial 0 and the VCEK extensions) and
/// AMD's subject layout, with the organisation clearly marking it as simulated.
struct SimulatedCertificateChain {
    let ark: X509Certificate
    let ask: X509Certificate
    let vcek: X509Certificate
    let vcekKey: P384PrivateKey
    /// Kept so a stand-in KDS can sign the simulated product's CRL (tests; `ark-key.pem`).
    let arkKey: RSAPrivateKey

    static let organization = "guestguard simulated AMD-SP (NOT AMD)"

    static func name(_ commonName: String) -> X509Name {
        X509Name([
            .init(type: "OU", value: "Engineering"), .init(type: "C", value: "US"), .init(type: "L", value: "Santa Clara"),
            .init(type: "ST", value: "CA"), .init(type: "O", value: organization), .init(type: "CN", value: commonName),
        ])
    }

    /// Mints all three at `now` (Unix seconds): ARK and ASK valid 25 years, the VCEK 7 years, as AMD's.
    static func mint(settings: SimulatorSettings, now: Int64) throws(SimulatorError) -> SimulatedCertificateChain {
        let product = settings.generation.kdsProductName
        let year: Int64 = 365 * 86_400
        do {
            let arkKey = try RSAPrivateKey(bits: 4096)
            let askKey = try RSAPrivateKey(bits: 4096)
            let vcekKey = try P384PrivateKey()
            var arkBuilder = CertificateBuilder(subject: name("ARK-\(product)"), subjectPublicKey: try arkKey.publicKey(),
                                                notBefore: now - 86_400, notAfter: now + 25 * year)
            arkBuilder.serialNumber = [0x01, 0x00, 0x00]
            let ark = try arkBuilder.sign(with: arkKey)
            var askBuilder = CertificateBuilder(subject: name("SEV-\(product)"), subjectPublicKey: try askKey.publicKey(),
                                                notBefore: now - 86_400, notAfter: now + 25 * year)
            askBuilder.issuer = ark.subject
            askBuilder.serialNumber = [0x01, 0x00, 0x01]
            let ask = try askBuilder.sign(with: arkKey)
            var vcekBuilder = CertificateBuilder(subject: name("SEV-VCEK"), subjectPublicKey: try vcekKey.publicKey(),
                                                 notBefore: now - 86_400, notAfter: now + 7 * year)
            vcekBuilder.issuer = ask.subject
            vcekBuilder.extensions = VCEKExtensionEncoder.extensions(settings: settings)
            let vcek = try vcekBuilder.sign(with: askKey)
            return SimulatedCertificateChain(ark: ark, ask: ask, vcek: vcek, vcekKey: vcekKey, arkKey: arkKey)
        } catch let error as KeyError {
            throw .crypto("minting the test chain: \(error)")
        } catch let error as OpenSSLError {
            throw .crypto("minting the test chain: \(error)")
        } catch {
            throw .crypto("minting the test chain: \(error)")
        }
    }
}
