import ArgumentParser
import CanonicalJSON
import GuestGuardBoot
import GuestGuardCrypto
import SNPABI
import SNPMeasure

/// libcrypto's SHA-256/SHA-384 (GuestGuardCrypto `HashFunction`, CPU SHA extensions) for the pure
/// launch-measurement code.
struct LibcryptoLaunchDigests: LaunchDigestHashing {
    func sha256(_ bytes: UnsafeRawBufferPointer) throws(MeasurementError) -> [UInt8] { try digest(.sha256, bytes) }
    func sha384(_ bytes: UnsafeRawBufferPointer) throws(MeasurementError) -> [UInt8] { try digest(.sha384, bytes) }

    private func digest(_ function: HashFunction, _ bytes: UnsafeRawBufferPointer) throws(MeasurementError) -> [UInt8] {
        do { return try function.hash(UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count)) } catch {
            throw .digestFailed("\(function): \(error)")
        }
    }
}

/// The files `guestguard measure` reads, read once, and the blobs' SHA-256 (the kernel and the
/// initrd are read and hashed concurrently with the firmware).
struct MeasureInputs {
    /// An input file, its size and its SHA-256; `bytes` only for firmware (the measurement reads
    /// its pages), the kernel and initrd are only hashed.
    struct Blob: Sendable {
        let path: String
        let size: Int
        let sha256: [UInt8]
        var bytes: [UInt8] = []
    }

    static let firmwareLimit = 256 << 20
    static let blobLimit = 2 << 30

    let ovmf: Blob
    let kernel: Blob?
    let initrd: Blob?
    let svsm: Blob?
    let varsSize: Int?
    /// The SNP firmware pages' digest, computed while the kernel and initrd hash on other threads;
    /// the measurement then continues from it (the value the whole computation reaches there).
    var firmwareDigest: [UInt8]?

    static func load(_ command: GuestGuard.Measure, mode: GuestMode) async throws -> MeasureInputs {
        let measureBlobs = mode != .snpOVMFHash && mode != .snpSVSM
        let kernelTask = command.kernel.flatMap { measureBlobs ? $0 : nil }.map { path in Task.detached { try hashedBlob(path, option: "--kernel") } }
        let initrdTask = command.initrd.flatMap { measureBlobs ? $0 : nil }.map { path in Task.detached { try hashedBlob(path, option: "--initrd") } }
        let ovmf = try firmwareBlob(command.ovmf, option: "--ovmf", hash: command.json)
        let svsm = try command.svsm.map { try firmwareBlob($0, option: "--svsm", hash: command.json) }
        var varsSize = command.varsSize
        if let varsFile = command.varsFile {
            guard let status = try? CLIFiles.files.status(CLIFiles.absolute(varsFile)) else {
                throw CLIError(message: "--vars-file \(varsFile)", causes: ["cannot stat the file"])
            }
            varsSize = Int(status.size)
        }
        var firmwareDigest: [UInt8]?
        if mode == .snp, command.snpOvmfHash == nil, kernelTask != nil {
            do {
                firmwareDigest = try LaunchMeasurement.snpFirmwareDigest(FirmwareImage(bytes: ovmf.bytes, name: ovmf.path), hashing: LibcryptoLaunchDigests())
            } catch { throw CLIError(message: "cannot compute the launch measurement", causes: ["\(error)"]) }
        }
        return MeasureInputs(
            ovmf: ovmf, kernel: try await kernelTask?.value, initrd: try await initrdTask?.value, svsm: svsm, varsSize: varsSize, firmwareDigest: firmwareDigest)
    }

    /// A kernel or initrd: hashed where it lies (mapped, not copied).
    static func hashedBlob(_ path: String, option: String) throws -> Blob {
        let (size, digest) = try CLIFiles.withContents(path, option: option, limit: blobLimit) { bytes in
            (bytes.count, Result { () throws(MeasurementError) in try LibcryptoLaunchDigests().sha256(bytes) })
        }
        return Blob(path: path, size: size, sha256: try digest.get())
    }

    /// A firmware image: read, and hashed only for --json.
    static func firmwareBlob(_ path: String, option: String, hash: Bool) throws -> Blob {
        let bytes = try CLIFiles.read(path, option: option, limit: firmwareLimit)
        return Blob(path: path, size: bytes.count, sha256: hash ? try LibcryptoLaunchDigests().sha256(of: bytes) : [], bytes: bytes)
    }

    /// The pure module's configuration from the options and the files.
    func configuration(_ command: GuestGuard.Measure, mode: GuestMode) throws -> LaunchConfiguration {
        let firmware = try FirmwareImage(bytes: ovmf.bytes, name: ovmf.path)
        var configuration = LaunchConfiguration(mode: mode, firmware: firmware)
        guard mode != .snpOVMFHash else { return configuration }
        configuration.vcpus = command.vcpus ?? 0
        configuration.vmm = VMMType(rawValue: command.vmmType)!
        configuration.vcpuSignature = try vcpuSignature(command, mode: mode)
        configuration.guestFeatures = try IntegerArgument.parse(command.guestFeatures, option: "--guest-features", maximum: UInt64.max)
        if let kernel { configuration.kernelHashes = try SEVHashTable(kernel: kernel.sha256, initrd: initrdSHA256, cmdline: cmdlineSHA256(command)) }
        configuration.firmwareDigest = try command.snpOvmfHash.map { try HexArgument.decode($0, option: "--snp-ovmf-hash", count: 48...48) } ?? firmwareDigest
        if let svsm, let varsSize { configuration.svsm = .init(image: svsm.bytes, name: svsm.path, varsSize: varsSize) }
        return configuration
    }

    /// SHA-256 of the initrd, or of no bytes when there is none (QEMU hashes an empty initrd).
    var initrdSHA256: [UInt8] {
        initrd?.sha256 ?? (try? LibcryptoLaunchDigests().sha256(of: [])) ?? []
    }

    func cmdlineSHA256(_ command: GuestGuard.Measure) throws -> [UInt8] {
        try LibcryptoLaunchDigests().sha256(of: SEVHashTable.commandLineBytes(command.append ?? ""))
    }

    /// The peer's order: --vcpu-family, --vcpu-sig, --vcpu-type; 0 in sev mode or when no
    /// signature is needed (EC2 and GCE put 0x600 in RDX).
    func vcpuSignature(_ command: GuestGuard.Measure, mode: GuestMode) throws -> UInt32 {
        if mode == .sev { return 0 }
        if let family = command.vcpuFamily, let model = command.vcpuModel, let stepping = command.vcpuStepping {
            do { return try VCPUType.signature(family: family, model: model, stepping: stepping) } catch { throw ValidationError("\(error)") }
        }
        if let text = command.vcpuSig { return UInt32(try IntegerArgument.parse(text, option: "--vcpu-sig", maximum: UInt64(UInt32.max))) }
        if let name = command.vcpuType, let signature = VCPUType.signature(named: name) { return signature }
        return 0
    }

    /// `guestguard.measure/v1` (docs/schemas.md).
    func json(_ command: GuestGuard.Measure, mode: GuestMode, measurement: [UInt8], text: String) throws -> JSONValue {
        func file(_ blob: Blob) -> JSONValue { ["path": .string(blob.path), "size": .integer(Int64(blob.size)), "sha256": .string(Hex.encode(blob.sha256))] }
        var inputs: [String: JSONValue] = ["ovmf": file(ovmf)]
        var document: [String: JSONValue] = [
            "schema": "guestguard.measure/v1", "mode": .string(mode.rawValue), "measurement": .string(Hex.encode(measurement)),
            "output": .string(text), "outputFormat": .string(mode == .snpOVMFHash ? "hex" : command.outputFormat),
        ]
        if mode != .snpOVMFHash {
            let configuration = try configuration(command, mode: mode)
            if mode != .sev {
                document["vcpus"] = .integer(Int64(configuration.vcpus))
                document["vcpuSignature"] = .string("0x" + String(configuration.vcpuSignature, radix: 16))
                document["vmmType"] = .string(configuration.vmm.rawValue)
            }
            if mode == .snp { document["guestFeatures"] = .string("0x" + String(configuration.guestFeatures, radix: 16)) }
            if let vcpuType = command.vcpuType, mode != .sev { document["vcpuType"] = .string(vcpuType) }
            if let kernel {
                inputs["kernel"] = file(kernel)
                inputs["initrd"] = initrd.map(file) ?? ["path": nil, "size": 0, "sha256": .string(Hex.encode(initrdSHA256))]
                inputs["append"] = ["text": .string(command.append ?? ""), "sha256": .string(Hex.encode(try cmdlineSHA256(command)))]
            }
            if let text = command.snpOvmfHash { inputs["snpOvmfHash"] = .string(Hex.encode(try HexArgument.decode(text, option: "--snp-ovmf-hash"))) }
            if let svsm { inputs["svsm"] = file(svsm) }
            if let varsSize { inputs["varsSize"] = .integer(Int64(varsSize)) }
        }
        document["inputs"] = .object(inputs)
        return .object(document)
    }
}

/// Integers written as Python's `int(text, 0)` reads them (sev-snp-measure's `--guest-features`
/// and `--vcpu-sig`): decimal, or 0x / 0o / 0b prefixed, with optional `_` between digits.
enum IntegerArgument {
    static func parse(_ text: String, option: String, maximum: UInt64) throws -> UInt64 {
        let lowered = text.lowercased()
        let (radix, digits): (Int, Substring) =
            switch lowered.prefix(2) {
            case "0x": (16, lowered.dropFirst(2))
            case "0o": (8, lowered.dropFirst(2))
            case "0b": (2, lowered.dropFirst(2))
            default: (10, lowered[...])
            }
        let cleaned = digits.hasPrefix("_") || digits.hasSuffix("_") || digits.contains("__") ? nil : digits.filter { $0 != "_" }
        guard let cleaned, let value = UInt64(cleaned, radix: radix) else {
            throw ValidationError("\(option): \(String(reflecting: text)) is not an integer (decimal, 0x…, 0o… or 0b…)")
        }
        guard value <= maximum else { throw ValidationError("\(option): \(text) is larger than \(maximum)") }
        return value
    }
}
