import GuestGuardCrypto
import Testing

/// The AMD root and intermediate certificates in Fixtures/trustee, with the facts from
/// /work/shared/fixtures/snp/README.md (SHA-256 of DER, CN, serial).
struct AMDCertificateVector: Sendable, CustomTestStringConvertible {
    let file: String
    let commonName: String
    let sha256: String
    let serial: UInt64
    /// The file of the certificate that signed this one (the ARK for all of them).
    let issuerFile: String

    var testDescription: String { commonName }

    static let all: [AMDCertificateVector] = [
        .init(file: "split_milan_ark", commonName: "ARK-Milan", sha256: "69d063b45344d26a2e94e1f4210de49ef555308287d4c174445c95639a540bcd", serial: 65536, issuerFile: "split_milan_ark"),
        .init(file: "split_milan_ask", commonName: "SEV-Milan", sha256: "67d303bd3905fd38db8b20e0793699870e7fa612eaad5dec358293fd8c0bac1b", serial: 65537, issuerFile: "split_milan_ark"),
        .init(file: "split_milan_asvk", commonName: "SEV-VLEK-Milan", sha256: "c5e081f59b7efab1fe2f8b505e159704e72f29cab7ef7cf628a05a42439082f5", serial: 65793, issuerFile: "split_milan_ark"),
        .init(file: "split_genoa_ark", commonName: "ARK-Genoa", sha256: "4c6598d19c18719c5dfd4a7d335f674e5bfe1d8f800cea2cf270c10d103db2f1", serial: 131072, issuerFile: "split_genoa_ark"),
        .init(file: "split_genoa_ask", commonName: "SEV-Genoa", sha256: "5464738c1546aed5f2cecf1dc98c5c960a92e8913238a61711bc90ec6e828521", serial: 131074, issuerFile: "split_genoa_ark"),
        .init(file: "split_genoa_asvk", commonName: "SEV-VLEK-Genoa", sha256: "197e610743a917d6b9bb982a5a9226ccc0a15b611be0619e626aca9151457372", serial: 131329, issuerFile: "split_genoa_ark"),
        .init(file: "split_turin_ark", commonName: "ARK-Turin", sha256: "1f084161a44bb6d93778a904877d4819cafa5d05ef4193b2ded9dd9c73dd3f6a", serial: 196608, issuerFile: "split_turin_ark"),
        .init(file: "split_turin_ask", commonName: "SEV-Turin", sha256: "5b77ef5fe7a7a004fd9032668fba9d0fda22f88c4442069a479636a6ae3b3185", serial: 196609, issuerFile: "split_turin_ark"),
        .init(file: "split_turin_asvk", commonName: "SEV-VLEK-Turin", sha256: "104e10a8bd060a3c20a434261a57d0588fd65a88915b4f65b08bdecaf8df1a3c", serial: 196865, issuerFile: "split_turin_ark"),
    ]

    func load() throws -> X509Certificate { try X509Certificate(pemEncoded: Fixture.text("trustee/\(file).pem")) }
    func loadIssuer() throws -> X509Certificate { try X509Certificate(pemEncoded: Fixture.text("trustee/\(issuerFile).pem")) }
}
