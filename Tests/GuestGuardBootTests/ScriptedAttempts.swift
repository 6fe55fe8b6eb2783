import GuestGuardCore
import Synchronization

/// Plays back one list of results per attempt (the last one repeats) and counts the attempts.
final class ScriptedAttempts: Sendable {
    private let script: [[VolumeUnlockResult]]
    private let count = Mutex(0)

    init(_ script: [[VolumeUnlockResult]]) { self.script = script }

    var attempts: Int { count.withLock { $0 } }

    func next() -> [VolumeUnlockResult] {
        let index = count.withLock { count in
            defer { count += 1 }
            return count
        }
        return script[min(index, script.count - 1)]
    }

    static func failed(_ error: UnlockError, device: String = "/dev/vda") -> VolumeUnlockResult {
        VolumeUnlockResult(device: device, uuid: "0b2c6c3e-5a8d-4c1e-9d57-0a4f3f0e9a11", name: "root", status: .failed(error))
    }

    static func active(device: String = "/dev/vda", name: String = "root") -> VolumeUnlockResult {
        VolumeUnlockResult(device: device, uuid: "0b2c6c3e-5a8d-4c1e-9d57-0a4f3f0e9a11", name: name, status: .alreadyActive)
    }
}
