import GuestGuardPlatform
import Synchronization

/// configfs-tsm as the kernel implements it (`drivers/virt/coco/tsm.c`, `sev_report_new()` in
/// `sev-guest.c`), in memory, with scripted faults (go-sev-guest `testing/mocks.go` style).
///
/// Kernel behaviour kept:
/// - `mkdir` fails with ENOENT when configfs-tsm is absent, EEXIST for an existing name;
/// - `privlevel` takes a decimal number, EINVAL above 3 or below `privlevel_floor`;
/// - `inblob` takes up to 64 bytes (EFBIG beyond, the attribute's size bound); the sev_guest
///   provider then refuses anything but exactly 64 bytes with EINVAL when the report is generated;
/// - every write of `privlevel` or `inblob` increments `generation`;
/// - reading `outblob` or `auxblob` generates the report for the current `inblob`/`privlevel`
///   (EINVAL without an `inblob`) and caches it until the next write;
/// - write-only attributes refuse reads and read-only ones refuse writes with EACCES.
public final class FakeTSMReport: TSMReportInterface {
    /// Faults applied when a report is generated (first `outblob`/`auxblob` read after a write).
    public enum Fault: Sendable, Hashable {
        /// Another writer writes `inblob` right after the report is generated (`generation` + 1).
        case concurrentWriteDuringRead
        /// Generation fails with `errno` (EBUSY, EAGAIN) this many times, then succeeds.
        case busy(times: Int, errno: Int32)
        /// `outblob` has this many bytes instead of 0x4A0 (short or oversized).
        case outblobLength(Int)
        /// ENOTTY: the driver wiped its VMPCK.
        case vmpckDisabled
        /// Generation fails with `errno`: EINVAL for STATUS INVALID_PARAM / INVALID_KEY, ENXIO for others.
        case firmwareError(errno: Int32)
    }

    struct Entry {
        var generation: UInt64 = 0
        var inblob: [UInt8]?
        var privlevel: UInt32 = 0
        var cached: (generation: UInt64, outblob: [UInt8], auxblob: [UInt8])?
    }

    struct State {
        var entries: [String: Entry] = [:]
        var created: [String] = []
        var removed: [String] = []
        var faults: [Fault]
        var generations = 0
    }

    public let location = "/sys/kernel/config/tsm/report (fake)"
    /// The `provider` attribute ("sev_guest"; "tdx_guest" for a TDX guest).
    public let providerName: String
    /// `privlevel_floor`: the VMPL the guest runs at.
    public let privlevelFloor: UInt32
    /// False: configfs-tsm is not there (`mkdir` fails with ENOENT).
    public let isPresent: Bool
    let auxblob: [UInt8]
    let makeReport: @Sendable ([UInt8], UInt32) -> [UInt8]
    let state: Mutex<State>

    /// - Parameters:
    ///   - auxblob: the certificate table the host supplies (empty: none).
    ///   - makeReport: the report for (REPORT_DATA, VMPL), standing in for the firmware.
    public init(
        providerName: String = "sev_guest", privlevelFloor: UInt32 = 0, auxblob: [UInt8] = [],
        isPresent: Bool = true, faults: [Fault] = [],
        makeReport: @escaping @Sendable ([UInt8], UInt32) -> [UInt8]
    ) {
        self.providerName = providerName
        self.privlevelFloor = privlevelFloor
        self.isPresent = isPresent
        self.auxblob = auxblob
        self.makeReport = makeReport
        state = Mutex(State(faults: faults))
    }

    /// Entries that exist now.
    public var liveEntries: [String] { state.withLock { $0.entries.keys.sorted() } }
    /// Every entry ever created, in order.
    public var createdEntries: [String] { state.withLock { $0.created } }
    /// Every entry removed, in order.
    public var removedEntries: [String] { state.withLock { $0.removed } }
    /// How many times a report generation was attempted (each reaches the "firmware").
    public var generationAttempts: Int { state.withLock { $0.generations } }

    public func makeEntry(_ name: String) throws(PlatformError) {
        try state.withLock { (state) throws(PlatformError) in
            guard isPresent else { throw error("mkdir", name, nil, ErrnoName.ENOENT) }
            guard state.entries[name] == nil else { throw error("mkdir", name, nil, ErrnoName.EEXIST) }
            state.entries[name] = Entry()
            state.created.append(name)
        }
    }

    public func removeEntry(_ name: String) throws(PlatformError) {
        try state.withLock { (state) throws(PlatformError) in
            guard state.entries.removeValue(forKey: name) != nil else { throw error("rmdir", name, nil, ErrnoName.ENOENT) }
            state.removed.append(name)
        }
    }

    public func write(entry name: String, attribute: String, bytes: [UInt8]) throws(PlatformError) {
        try state.withLock { (state) throws(PlatformError) in
            guard var entry = state.entries[name] else { throw error("open", name, attribute, ErrnoName.ENOENT) }
            switch attribute {
            case "privlevel":
                let text = String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == " " }).first
                guard let text, let value = UInt32(text), value <= 3, value >= privlevelFloor else {
                    throw error("write", name, attribute, ErrnoName.EINVAL)
                }
                entry.privlevel = value
            case "inblob":
                guard bytes.count <= 64 else { throw error("write", name, attribute, ErrnoName.EFBIG) }
                entry.inblob = bytes
            case "provider", "generation", "privlevel_floor", "outblob", "auxblob":
                throw error("open", name, attribute, ErrnoName.EACCES)
            default:
                throw error("open", name, attribute, ErrnoName.ENOENT)
            }
            entry.generation += 1
            state.entries[name] = entry
        }
    }

    public func read(entry name: String, attribute: String, limit: Int) throws(PlatformError) -> [UInt8] {
        let bytes = try state.withLock { (state) throws(PlatformError) -> [UInt8] in
            guard let entry = state.entries[name] else { throw error("open", name, attribute, ErrnoName.ENOENT) }
            switch attribute {
            case "provider": return Array((providerName + "\n").utf8)
            case "generation": return Array("\(entry.generation)\n".utf8)
            case "privlevel_floor": return Array("\(privlevelFloor)\n".utf8)
            case "outblob": return try report(&state, name).outblob
            case "auxblob": return try report(&state, name).auxblob
            case "privlevel", "inblob": throw error("open", name, attribute, ErrnoName.EACCES)
            default: throw error("open", name, attribute, ErrnoName.ENOENT)
            }
        }
        guard bytes.count <= limit else { throw error("read", name, attribute, ErrnoName.EFBIG) }
        return bytes
    }

    /// `tsm_report_read()`: the cached report when nothing was written since, else a new one.
    func report(_ state: inout State, _ name: String) throws(PlatformError) -> (outblob: [UInt8], auxblob: [UInt8]) {
        var entry = state.entries[name]!
        guard let inblob = entry.inblob else { throw error("read", name, "outblob", ErrnoName.EINVAL) }
        if let cached = entry.cached, cached.generation == entry.generation { return (cached.outblob, cached.auxblob) }

        state.generations += 1
        var outblobLength = RawAttestation.reportByteCount
        var concurrentWrite = false
        for (index, fault) in state.faults.enumerated().reversed() {
            switch fault {
            case .vmpckDisabled: throw error("read", name, "outblob", ErrnoName.ENOTTY)
            case .firmwareError(let code): throw error("read", name, "outblob", code)
            case .busy(let times, let code) where times > 0:
                state.faults[index] = .busy(times: times - 1, errno: code)
                throw error("read", name, "outblob", code)
            case .busy: break
            case .outblobLength(let length): outblobLength = length
            case .concurrentWriteDuringRead:
                state.faults.remove(at: index)
                concurrentWrite = true
            }
        }
        guard inblob.count == 64 else { throw error("read", name, "outblob", ErrnoName.EINVAL) }
        var outblob = makeReport(inblob, entry.privlevel)
        if outblobLength < outblob.count { outblob.removeLast(outblob.count - outblobLength) }
        if outblobLength > outblob.count { outblob += [UInt8](repeating: 0, count: outblobLength - outblob.count) }
        entry.cached = (entry.generation, outblob, auxblob)
        if concurrentWrite {
            entry.inblob = [UInt8](repeating: 0xEE, count: 64)
            entry.generation += 1
        }
        state.entries[name] = entry
        return (outblob, auxblob)
    }

    func error(_ operation: String, _ entry: String, _ attribute: String?, _ code: Int32) -> PlatformError {
        PlatformError(operation: operation, target: "\(location)/\(entry)" + (attribute.map { "/" + $0 } ?? ""), errno: code)
    }
}
