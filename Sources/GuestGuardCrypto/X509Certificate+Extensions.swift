extension X509Certificate {
    /// The raw `extnValue` contents of the extension `objectIdentifier` (dotted), or nil if absent.
    /// Throws if the extension occurs more than once.
    public func extensionValue(objectIdentifier: String) throws(X509Error) -> [UInt8]? {
        var found: [UInt8]? = nil
        for candidate in extensions where candidate.objectIdentifier == objectIdentifier {
            guard found == nil else { throw .duplicateExtension(objectIdentifier: objectIdentifier) }
            found = candidate.value
        }
        return found
    }
}
