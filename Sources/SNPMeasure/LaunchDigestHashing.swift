/// The two SHA-2 functions the launch measurement needs, injected so that this module stays free
/// of crypto and I/O (the same choice `UnlockMeasurement.extend(sha256:)` makes): the executable
/// passes GuestGuardCrypto's libcrypto digests, which use the CPU's SHA extensions, and the project
/// keeps one SHA-2 implementation.
///
/// - SHA-384: SNP's launch digest (`SNP_LAUNCH_UPDATE`, AMD #56860 §8.17) and each page's contents.
/// - SHA-256: SEV / SEV-ES launch digest (`LAUNCH_UPDATE_DATA`/`LAUNCH_MEASURE`, AMD #55766) and the
///   kernel, initrd and command-line hashes QEMU writes into the firmware's hash table.
public protocol LaunchDigestHashing: Sendable {
    /// SHA-256 of `bytes` (32 bytes).
    func sha256(_ bytes: UnsafeRawBufferPointer) throws(MeasurementError) -> [UInt8]
    /// SHA-384 of `bytes` (48 bytes).
    func sha384(_ bytes: UnsafeRawBufferPointer) throws(MeasurementError) -> [UInt8]
}

extension LaunchDigestHashing {
    /// SHA-256 of an array.
    public func sha256(of bytes: [UInt8]) throws(MeasurementError) -> [UInt8] {
        try bytes[...].withUnsafeBytes { buffer in Result { () throws(MeasurementError) in try sha256(buffer) } }.get()
    }

    /// SHA-384 of an array slice.
    public func sha384(of bytes: ArraySlice<UInt8>) throws(MeasurementError) -> [UInt8] {
        try bytes.withUnsafeBytes { buffer in Result { () throws(MeasurementError) in try sha384(buffer) } }.get()
    }
}
