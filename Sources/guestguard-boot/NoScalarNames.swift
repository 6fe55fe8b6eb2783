/// Stands in for the Swift runtime's `_swift_stdlib_getScalarName` (stdlib/public/stubs/Unicode/UnicodeScalarProps.cpp:
/// `intptr_t (uint32_t scalar, uint8_t *buffer, intptr_t capacity)`, the bytes of the scalar's Unicode name written
/// into `buffer`, 0 for none) in guestguard-boot's release link (Package.swift, `bootReleaseLink`:
/// `--defsym=_swift_stdlib_getScalarName=guestguard_boot_no_scalar_name`).
///
/// The stdlib's one monolithic `.text` section keeps `Unicode.Scalar.Properties.name` alive, and with it the runtime
/// function and its 0.47 MB of scalar-name tables (0.32 MB zstd in the initramfs); guestguard-boot never asks a
/// scalar for its name (nothing in Sources reads `properties.name`), so with the symbol pointed here the linker drops
/// the function and its tables. In guestguard-boot, `Unicode.Scalar.Properties.name` is nil for every scalar whose
/// name is not algorithmic. Debug builds and every other executable keep the runtime's function.
@_cdecl("guestguard_boot_no_scalar_name")
public func guestguardBootNoScalarName(_ scalar: UInt32, _ buffer: UnsafeMutablePointer<UInt8>?, _ capacity: Int) -> Int {
    0
}
