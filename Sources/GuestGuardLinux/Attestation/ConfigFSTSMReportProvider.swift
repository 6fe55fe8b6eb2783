import GuestGuardPlatform

/// SNP reports through configfs-tsm (`/sys/kernel/config/tsm/report`, Linux ≥ 6.7;
/// `Documentation/ABI/testing/configfs-tsm-report`, docs/snp-abi.md §2.2).
///
/// One call:
/// 1. creates a uniquely named entry (`guestguard-` and 16 random hex digits);
/// 2. checks `provider` is `sev_guest`;
/// 3. writes `privlevel` (the VMPL) and exactly 64 bytes to `inblob`;
/// 4. reads `generation`, which must equal the two writes just made;
/// 5. reads `outblob` (retrying EBUSY / EAGAIN with backoff) and `auxblob`;
/// 6. reads `generation` again: a change means another writer altered the request between the
///    report and its certificates, and the call fails;
/// 7. checks `outblob` is 0x4A0 bytes;
/// 8. removes the entry, on success and on every failure after step 1 (a failed removal after
///    a successful fetch is an error too, rather than a silently leaked entry).
///
/// The file operations are behind `TSMReportInterface`: `ConfigFSReportDirectory` in
/// production, `FakeTSMReport` in tests.
public struct ConfigFSTSMReportProvider<Interface: TSMReportInterface>: AttestationReportProvider {
    /// The `provider` value of the AMD SEV-SNP guest driver.
    public static var sevGuestProvider: String { "sev_guest" }
    /// `TSM_OUTBLOB_MAX` (32 KiB): the kernel's bound for `outblob` and `auxblob`.
    public static var blobLimit: Int { 32 * 1024 }

    public let interface: Interface
    public let clock: any WallClock
    public let random: any RandomSource
    public let retryPolicy: RetryPolicy

    public init(interface: Interface, clock: any WallClock, random: any RandomSource, retryPolicy: RetryPolicy = .attestation) {
        self.interface = interface
        self.clock = clock
        self.random = random
        self.retryPolicy = retryPolicy
    }

    public func attestationReport(reportData: [UInt8], vmpl: UInt32) throws(AttestationFetchError) -> RawAttestation {
        try Self.validate(reportData: reportData, vmpl: vmpl)
        let entry = try newEntryName()
        do {
            try interface.makeEntry(entry)
        } catch {
            let missing = [ErrnoName.ENOENT, ErrnoName.ENOTDIR, ErrnoName.ENXIO, ErrnoName.ENODEV].contains(error.errno)
            throw missing ? .unavailable(.configFSTSM, error) : .system(.configFSTSM, error)
        }
        let attestation: RawAttestation
        do {
            attestation = try fetch(entry: entry, reportData: reportData, vmpl: vmpl)
        } catch {
            _ = try? interface.removeEntry(entry)
            throw error
        }
        do {
            try interface.removeEntry(entry)
        } catch {
            throw .system(.configFSTSM, error)
        }
        return attestation
    }

    /// Steps 2–7 on an existing entry.
    func fetch(entry: String, reportData: [UInt8], vmpl: UInt32) throws(AttestationFetchError) -> RawAttestation {
        let provider = try text(entry, "provider")
        guard provider == Self.sevGuestProvider else { throw .wrongTSMProvider(found: provider) }

        do {
            try interface.write(entry: entry, attribute: "privlevel", bytes: Array("\(vmpl)\n".utf8))
        } catch {
            guard error.errno == ErrnoName.EINVAL else { throw .system(.configFSTSM, error) }
            let floor = (try? text(entry, "privlevel_floor")).flatMap { UInt32($0) }
            throw .vmplRejected(requested: vmpl, floor: floor)
        }
        do {
            try interface.write(entry: entry, attribute: "inblob", bytes: reportData)
        } catch {
            throw .system(.configFSTSM, error)
        }
        let ownWrites: UInt64 = 2

        let before = try generation(entry)
        guard before == ownWrites else {
            throw .concurrentWriter(entry: entry, expectedGeneration: ownWrites, observedGeneration: before)
        }
        let outblob = try retryingWithBackoff(
            policy: retryPolicy, clock: clock, interface: .configFSTSM,
            isRetryable: { error in
                if case .system(_, let failure) = error { return isBusyErrno(failure.errno) }
                return false
            }
        ) { () throws(AttestationFetchError) -> [UInt8] in
            try blob(entry, "outblob")
        }
        let auxblob = try blob(entry, "auxblob")
        let after = try generation(entry)
        guard after == before else {
            throw .concurrentWriter(entry: entry, expectedGeneration: before, observedGeneration: after)
        }
        guard outblob.count == RawAttestation.reportByteCount else {
            throw .wrongReportSize(.configFSTSM, actual: outblob.count)
        }
        return RawAttestation(report: outblob, certificates: auxblob.isEmpty ? nil : auxblob,
                              provider: AttestationInterface.configFSTSM.rawValue)
    }

    /// `guestguard-` and 8 random bytes in hex: unique, so no other requester shares the entry.
    func newEntryName() throws(AttestationFetchError) -> String {
        let bytes: [UInt8]
        do { bytes = try random.bytes(8) } catch { throw .system(.configFSTSM, error) }
        let digits = Array("0123456789abcdef".utf8)
        var name = Array("guestguard-".utf8)
        for byte in bytes { name += [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]] }
        return String(decoding: name, as: UTF8.self)
    }

    /// Reading `outblob` / `auxblob` makes the kernel run the request; its errors name the cause
    /// (`sev_report_new()`): ENOTTY the VMPCK is wiped; EINVAL STATUS INVALID_PARAM or
    /// INVALID_KEY (or an inblob that is not 64 bytes); ENXIO another STATUS.
    func blob(_ entry: String, _ attribute: String) throws(AttestationFetchError) -> [UInt8] {
        do {
            return try interface.read(entry: entry, attribute: attribute, limit: Self.blobLimit)
        } catch {
            let detail: String
            switch error.errno {
            case ErrnoName.ENOTTY: throw .vmpckDisabled(.configFSTSM)
            case ErrnoName.EINVAL: detail = "firmware STATUS INVALID_PARAM or INVALID_KEY, or inblob not 64 bytes"
            case ErrnoName.ENXIO: detail = "firmware returned an error STATUS"
            default: throw .system(.configFSTSM, error)
            }
            throw .system(.configFSTSM, PlatformError(operation: error.operation, target: error.target, errno: error.errno, detail: detail))
        }
    }

    /// A text attribute without its trailing newline.
    func text(_ entry: String, _ attribute: String) throws(AttestationFetchError) -> String {
        let bytes: [UInt8]
        do { bytes = try interface.read(entry: entry, attribute: attribute, limit: 4096) } catch { throw .system(.configFSTSM, error) }
        var end = bytes.count
        while end > 0, [0x0A, 0x0D, 0x20, 0x09, 0x00].contains(bytes[end - 1]) { end -= 1 }
        return String(decoding: bytes[0..<end], as: UTF8.self)
    }

    /// `generation`: "increments each time @inblob or any option is written".
    func generation(_ entry: String) throws(AttestationFetchError) -> UInt64 {
        let value = try text(entry, "generation")
        guard let number = UInt64(value) else {
            throw .malformedAttribute(entry: entry, attribute: "generation", value: value)
        }
        return number
    }
}
