import COpenSSL

/// An X.509 distinguished name as an ordered list of attributes (`CN=SEV-VCEK, OU=Engineering…`).
public struct X509Name: Sendable, Hashable, CustomStringConvertible {
    /// One attribute: a short name (`CN`, `O`, `OU`, `L`, `ST`, `C`) or a dotted OID, and its value.
    public struct Attribute: Sendable, Hashable {
        public let type: String
        public let value: String

        public init(type: String, value: String) {
            self.type = type
            self.value = value
        }
    }

    public var attributes: [Attribute]

    public init(_ attributes: [Attribute]) {
        self.attributes = attributes
    }

    /// A name with the AMD layout: `CN=<cn>, O=Advanced Micro Devices, …` is up to the caller;
    /// this builds just a common name.
    public static func commonName(_ value: String) -> X509Name {
        X509Name([Attribute(type: "CN", value: value)])
    }

    /// The first common name, if any.
    public var commonName: String? { attributes.first { $0.type == "CN" }?.value }

    public var description: String {
        attributes.map { "\($0.type)=\($0.value)" }.joined(separator: ", ")
    }

    /// Reads an `X509_NAME` (not owned).
    /// The corresponding C functions are `X509_NAME_get_entry` and `ASN1_STRING_to_UTF8`.
    package init(borrowing name: OpaquePointer) {
        var attributes: [Attribute] = []
        for index in 0..<X509_NAME_entry_count(name) {
            guard let entry = X509_NAME_get_entry(name, index) else { continue }
            let object = X509_NAME_ENTRY_get_object(entry)
            let nid = OBJ_obj2nid(object)
            let type = nid != NID_undef ? String(cString: OBJ_nid2sn(nid)) : ObjectText.dotted(object)
            var utf8: UnsafeMutablePointer<UInt8>? = nil
            let count = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(entry))
            defer { guestguard_OPENSSL_free(utf8) }
            let value = count >= 0 && utf8 != nil
                ? String(decoding: UnsafeBufferPointer(start: utf8, count: Int(count)), as: UTF8.self) : ""
            attributes.append(Attribute(type: type, value: value))
        }
        ERR_clear_error()
        self.attributes = attributes
    }

    /// Builds an owned `X509_NAME`; the caller frees it with `X509_NAME_free`.
    /// The corresponding C function is `X509_NAME_add_entry_by_txt`.
    func makeHandle() throws(OpenSSLError) -> OpaquePointer {
        guard let name = X509_NAME_new() else { throw .drainingQueue(operation: "X509_NAME_new") }
        for attribute in attributes {
            let bytes = Array(attribute.value.utf8)
            let rc = X509_NAME_add_entry_by_txt(name, attribute.type, guestguard_MBSTRING_UTF8, bytes, Int32(bytes.count), -1, 0)
            guard rc == 1 else {
                X509_NAME_free(name)
                throw .drainingQueue(operation: "X509_NAME_add_entry_by_txt(\(attribute.type))")
            }
        }
        return name
    }
}
