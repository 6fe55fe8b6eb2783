import AMDCertificateProfile
import GuestGuardCrypto

/// DER (and PEM) certificates through `X509Certificate`: the VCEK/VLEK and ASK/ARK chain arrive
/// from the hypervisor (certificate table) or over the network. A parsed certificate's accessors
/// must not trap, and it must survive DER → PEM → DER unchanged.
enum X509Target {
    /// VCEK hwID, TCB SPLs, productName (SEV-SNP VCEK extension OIDs, snp-abi.md).
    static let amdOIDs = ["1.3.6.1.4.1.3704.1.4", "1.3.6.1.4.1.3704.1.3.1", "1.3.6.1.4.1.3704.1.3.2", "1.3.6.1.4.1.3704.1.3.3",
                          "1.3.6.1.4.1.3704.1.3.8", "1.3.6.1.4.1.3704.1.2", "2.5.29.19"]

    static let target = FuzzTarget(name: "x509", summary: "DER/PEM X.509 through the GuestGuardCrypto certificate wrapper") { input in
        if let certificate = try? X509Certificate(derEncoded: input) { check(certificate, der: input) }
        if input.first == UInt8(ascii: "-") {
            let certificates = (try? X509Certificate.certificates(pemEncoded: String(decoding: input, as: UTF8.self))) ?? []
            for certificate in certificates { check(certificate, der: certificate.derBytes) }
        }
    }

    static func check(_ certificate: X509Certificate, der: [UInt8]) {
        fuzzCheck(certificate.derBytes == der, "derBytes differ from the input")
        _ = certificate.subject.description
        _ = certificate.issuer.description
        _ = certificate.serialNumber
        _ = certificate.isValid(at: 1_700_000_000)
        for oid in amdOIDs { _ = try? certificate.extensionValue(objectIdentifier: oid) }
        _ = try? certificate.checkAMDSignatureAlgorithm()
        if let key = try? certificate.publicKey() { _ = try? certificate.verifyAMDSignature(issuerKey: key) }
        _ = certificate.isIssuerName(of: certificate)
        if let pem = try? certificate.pemEncoded() {
            guard let again = try? X509Certificate(pemEncoded: pem) else { fatalError("fuzz invariant: own PEM does not parse") }
            fuzzCheck(again.derBytes == der, "DER → PEM → DER changed the bytes")
        }
    }
}
