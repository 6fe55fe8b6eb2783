import AMDCertificateProfile
import ArgumentParser
import GuestGuardCrypto
import GuestGuardLinux
import GuestGuardPlatform
import KeyBrokerServer
import SNPABI

extension GuestGuardBroker {
    struct CRL: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "crl",
            abstract: "Keep AMD's CRLs in the store, for evidence that carries its own cert_chain (docs/broker-kds.md).",
            subcommands: [Import.self, Show.self]
        )

        struct Import: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Store a product's CRL (DER, e.g. from `guestguard fetch crl`) after checking it under the product's ARK.",
                discussion: "Refused: a CRL whose signature does not verify under the ARK (AMD's pinned one unless --ark), one past its nextUpdate, one older than the CRL stored.")
            @Argument(help: "The CRL (DER).") var file: String
            @Option(help: "Milan, Genoa or Turin (default: the product the CRL's issuer names).") var product: String?
            @Option(help: ArgumentHelp("The ARK (PEM) the CRL must verify under, instead of AMD's pinned one.", valueName: "FILE")) var ark: String?
            @OptionGroup var data: DataOptions

            func validate() throws {
                if let product, ProcessorGeneration(kdsProductName: product) == nil {
                    throw ValidationError("--product must be Milan, Genoa or Turin, not \(String(reflecting: product))")
                }
            }

            func run() async throws {
                let host = HostFileSystem()
                let bytes: [UInt8]
                do { bytes = try host.readFile(HostFileSystem.absolutePath(file), limit: 1 << 20) } catch {
                    throw BrokerCLIError(message: "cannot read \(file)", causes: ["\(error)"])
                }
                var issuer: X509Certificate?
                if let ark {
                    do { issuer = try X509Certificate.certificates(pemEncoded: host.readText(HostFileSystem.absolutePath(ark))).first } catch {
                        throw BrokerCLIError(message: "cannot read the ARK \(ark)", causes: ["\(error)"])
                    }
                    guard issuer != nil else { throw BrokerCLIError(message: "\(ark) holds no PEM certificate") }
                }
                let imported = try await data.withStorage { storage in
                    do {
                        return try await RevocationListImport.run(bytes, product: product.flatMap { ProcessorGeneration(kdsProductName: $0) }, ark: issuer,
                                                                  into: storage, now: SystemClock().now().seconds)
                    } catch { throw BrokerCLIError(message: "cannot import \(file)", causes: ["\(error)"]) }
                }
                print("stored the \(imported.generation.kdsProductName) CRL (thisUpdate \(imported.list.thisUpdate), nextUpdate \(imported.list.nextUpdate.map(String.init) ?? "none")) in the \(data.location)")
            }
        }

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the CRLs in the store with their issuer and validity (not checked here).")
            @OptionGroup var data: DataOptions

            func run() async throws {
                let lines = try await data.withStorage { storage in
                    var lines: [String] = []
                    for generation in ProcessorGeneration.allCases {
                        let bytes: [UInt8]?
                        do { bytes = try await storage.kdsDocument(named: KDSDocument.revocationList(generation).cacheName) } catch {
                            throw BrokerCLIError(message: "cannot read the store", causes: ["\(error)"])
                        }
                        guard let bytes else { continue }
                        guard let list = try? X509RevocationList(derEncoded: bytes) else {
                            lines.append("\(generation.kdsProductName)\tunreadable (\(bytes.count) bytes)")
                            continue
                        }
                        lines.append("\(generation.kdsProductName)\tissuer \(list.issuer)\tthisUpdate \(list.thisUpdate)\tnextUpdate \(list.nextUpdate.map(String.init) ?? "none")")
                    }
                    return lines
                }
                print(lines.isEmpty ? "no CRL in the store" : lines.joined(separator: "\n"))
            }
        }
    }
}
