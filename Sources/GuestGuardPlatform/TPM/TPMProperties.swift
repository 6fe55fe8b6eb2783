/// The fixed TPM properties that name its maker and firmware (TPM 2.0 Part 2, §6.13 TPM_PT).
public struct TPMProperties: Sendable, Hashable {
    /// TPM_PT_MANUFACTURER (0x105): four ASCII characters, e.g. `"IBM "` (swtpm), `"MSFT"`
    /// (the Microsoft reference TPM an SVSM runs).
    public var manufacturer: String
    /// TPM_PT_VENDOR_STRING_1…4 (0x106…0x109), concatenated, trailing NULs removed.
    public var vendorString: String
    /// TPM_PT_FIRMWARE_VERSION_1 and _2 (0x10B, 0x10C).
    public var firmwareVersion: (high: UInt32, low: UInt32)

    public init(manufacturer: String, vendorString: String, firmwareVersion: (high: UInt32, low: UInt32)) {
        self.manufacturer = manufacturer
        self.vendorString = vendorString
        self.firmwareVersion = firmwareVersion
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.manufacturer == rhs.manufacturer && lhs.vendorString == rhs.vendorString
            && lhs.firmwareVersion.high == rhs.firmwareVersion.high && lhs.firmwareVersion.low == rhs.firmwareVersion.low
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(manufacturer)
        hasher.combine(vendorString)
        hasher.combine(firmwareVersion.high)
        hasher.combine(firmwareVersion.low)
    }

    /// Decodes a 32-bit property that holds four ASCII characters (big-endian, NULs dropped).
    public static func characters(of value: UInt32) -> String {
        let bytes = [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) }.filter { $0 != 0 }
        return String(decoding: bytes.map { (0x20..<0x7F).contains($0) ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
    }
}
