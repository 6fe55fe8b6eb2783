#if canImport(Glibc)
import Glibc
#endif
import GuestGuardCore
import GuestGuardDetection
import GuestGuardPosture
import GuestGuardPlatform
import GuestGuardTestSupport
import PostureService
import SNPABI
import Synchronization

/// Posture reports with chosen item states, over a real detection of a fake SNP guest.
enum PostureFixtures {
    static let detection: DetectionReport = {
        let tree = TemporaryFileTree()
        let env = DetectionEnvironment(cpuid: ScriptedCPUID.amdGuest(memoryEncryptionEAX: nil), msr: ScriptedMSR([SEVStatus.msrAddress: .value(7)]),
                                       files: tree.fileSystem, kernelLog: ScriptedKernelLog([]))
        return EncryptionModeDetector().detect(env)
    }()

    /// One finding per state, with ids `item-0`, `item-1`, ….
    static func report(_ states: [PostureState], at seconds: Int64 = 1_795_000_000) -> StatusReport {
        let findings = states.enumerated().map { index, state in
            PostureFinding(id: "item-\(index)", title: "item \(index)", state: state, reason: "scripted \(state.rawValue)", details: ["index": .integer(Int64(index))])
        }
        return StatusReport(findings: findings, detection: detection, generatedAt: Timestamp(seconds: seconds))
    }
}

/// A `PostureSource` whose snapshot the test sets.
final class InMemoryPostureSource: PostureSource {
    private let state: Mutex<PostureSnapshot>
    init(_ snapshot: PostureSnapshot) { state = Mutex(snapshot) }
    func snapshot() async -> PostureSnapshot { state.withLock { $0 } }
    func set(_ snapshot: PostureSnapshot) { state.withLock { $0 = snapshot } }
}

