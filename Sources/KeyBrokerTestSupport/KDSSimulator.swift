import GuestGuardCrypto
import GuestGuardLinux
import GuestGuardTestSupport
import KDSCollateral
import SNPABI
import SNPSimulator
import Synchronization

/// A simulated secure processor whose VCEK a KDS stand-in can serve: a non-zero CHIP_ID (so the
/// VCEK can be named at KDS), and its ARK key on disk (`ark-key.pem`) so that an independent peer,
/// Python's `cryptography`, can sign the product's CRL the way AMD does. Made once per process.
public enum KDSSimulator {
    public static let tree = TemporaryFileTree(prefix: "guestguard-kds-sim")
    static let made = Mutex<SimulatedSecureProcessor?>(nil)

    public static func processor() throws -> SimulatedSecureProcessor {
        try made.withLock { cached in
            if let cached { return cached }
            var settings = SimulatorSettings()
            settings.chipID = (0..<64).map { UInt8(($0 * 3 + 1) & 0xFF) }
            let processor = try SimulatedSecureProcessor.initialize(directory: "/sim", settings: settings, files: tree.fileSystem,
                                                                    random: GetrandomSource(), now: 1_795_000_000)
            cached = processor
            return processor
        }
    }

    /// The KDS identity of the simulator's VCEK.
    public static func identity() throws -> VCEKIdentity {
        let (report, _) = try processor().attestation(reportData: [UInt8](repeating: 7, count: 64), vmpl: 0)
        return try VCEKIdentity(report: try AttestationReport(bytes: report))
    }

    /// Makes `kds` serve the simulator's chain, VCEK and `crl` at KDS's paths.
    public static func serve(_ kds: KDSStandIn, crl: [UInt8]) throws {
        let simulator = try processor()
        let product = simulator.settings.generation.kdsProductName
        kds.set("/vcek/v1/\(product)/cert_chain", .serve(Array((try simulator.ask.pemEncoded() + simulator.ark.pemEncoded()).utf8)))
        kds.set(KDSDocument.vcek(try identity()).path, .serve(simulator.vcek.derBytes))
        kds.set("/vcek/v1/\(product)/crl", .serve(crl))
    }

    /// A CRL over the simulator's ARK valid for `daysValid` days (negative: nextUpdate has passed),
    /// listing `serials` (e.g. "0x10001"), signed RSASSA-PSS/SHA-384/salt 48 by Python's
    /// `cryptography` with the ARK key, or with the key in the PEM file `forgedKey`.
    /// `pkcs1`: sign with RSASSA-PKCS1-v1_5 instead (outside AMD's profile).
    /// `issuedDaysAgo`: thisUpdate that many days before now (default: 1 day, or after nextUpdate
    /// when that has passed); `number`: a cRLNumber extension.
    public static func revocationList(daysValid: Int, revoking serials: [String] = [], signedWith forgedKey: String? = nil,
                                      pkcs1: Bool = false, issuedDaysAgo: Int? = nil, number: Int? = nil) throws -> [UInt8] {
        _ = try processor()
        return try revocationList(arkKey: forgedKey ?? (tree.root + "/sim/ark-key.pem"), ark: tree.root + "/sim/ark.pem", daysValid: daysValid,
                                  revoking: serials, pkcs1: pkcs1, issuedDaysAgo: issuedDaysAgo, number: number)
    }

    /// The same for any ARK: its certificate and the signing key as PEM files on the host
    /// (e.g. a `guestguard simulator init` directory's `ark.pem` and `ark-key.pem`).
    public static func revocationList(arkKey: String, ark: String, daysValid: Int, revoking serials: [String] = [], pkcs1: Bool = false,
                                      issuedDaysAgo: Int? = nil, number: Int? = nil) throws -> [UInt8] {
        let arguments = [arkKey, ark, String(daysValid), pkcs1 ? "pkcs1" : "pss", issuedDaysAgo.map(String.init) ?? "-", number.map(String.init) ?? "-"]
        let output = try PythonPeer.run(crlScript, arguments: arguments + serials)
        guard let der = Hex.decode(output.filter { !$0.isWhitespace }) else { throw NotHex(output: String(output.prefix(80))) }
        return der
    }

    struct NotHex: Error { let output: String }

    static let crlScript = #"""
        import datetime, sys
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import padding
        key_path, cert_path, days, scheme, ago, number = sys.argv[1:7]
        key = serialization.load_pem_private_key(open(key_path, "rb").read(), password=None)
        ark = x509.load_pem_x509_certificate(open(cert_path, "rb").read())
        now = datetime.datetime.now(datetime.timezone.utc)
        days = int(days)
        this_update = now - datetime.timedelta(days=1) if days >= 0 else now + datetime.timedelta(days=days - 2)
        if ago != "-":
            this_update = now - datetime.timedelta(days=int(ago))
        builder = x509.CertificateRevocationListBuilder().issuer_name(ark.subject).last_update(this_update).next_update(now + datetime.timedelta(days=days))
        if number != "-":
            builder = builder.add_extension(x509.CRLNumber(int(number)), critical=False)
        for serial in sys.argv[7:]:
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder().serial_number(int(serial, 0)).revocation_date(now - datetime.timedelta(hours=1)).build())
        pss = padding.PSS(mgf=padding.MGF1(hashes.SHA384()), salt_length=48)
        crl = builder.sign(key, hashes.SHA384(), rsa_padding=pss if scheme == "pss" else padding.PKCS1v15())
        print(crl.public_bytes(serialization.Encoding.DER).hex())
        """#
}
