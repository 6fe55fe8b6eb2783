/// One certificate extension: its OID, criticality and the raw `extnValue` contents (the bytes
/// inside the OCTET STRING — for AMD's `hwID` these are the 64 raw bytes, no inner tag).
public struct X509Extension: Sendable, Hashable {
    public let objectIdentifier: String
    public let isCritical: Bool
    public let value: [UInt8]

    public init(objectIdentifier: String, isCritical: Bool = false, value: [UInt8]) {
        self.objectIdentifier = objectIdentifier
        self.isCritical = isCritical
        self.value = value
    }
}
