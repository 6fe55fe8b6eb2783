import Foundation
import GuestGuardCrypto
import SNPMeasure

/// libcrypto digests for the pure module (as the executable injects them).
struct TestDigests: LaunchDigestHashing {
    func sha256(_ bytes: UnsafeRawBufferPointer) throws(MeasurementError) -> [UInt8] { try digest(.sha256, bytes) }
    func sha384(_ bytes: UnsafeRawBufferPointer) throws(MeasurementError) -> [UInt8] { try digest(.sha384, bytes) }

    func digest(_ function: HashFunction, _ bytes: UnsafeRawBufferPointer) throws(MeasurementError) -> [UInt8] {
        do { return try function.hash(Array(bytes)) } catch { throw .digestFailed("\(error)") }
    }
}

/// Files from `Fixtures/` (copied from /work/shared/fixtures/measure; provenance in Fixtures/README.md).
enum Fixture {
    static func bytes(_ name: String) throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil) else { throw CocoaError(.fileNoSuchFile) }
        return Array(try Data(contentsOf: url))
    }

    /// Debian 12's full OVMF (package `ovmf`, in the Makefile's APT_PACKAGES).
    static let debianOVMF = "/usr/share/OVMF/OVMF_CODE.fd"
}

/// Runs `body` and returns the `MeasurementError` it throws (nil when it does not throw).
func measurementError(_ body: () throws(MeasurementError) -> Void) -> MeasurementError? {
    do { try body() } catch { return error }
    return nil
}
