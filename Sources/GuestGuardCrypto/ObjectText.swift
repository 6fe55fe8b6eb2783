import COpenSSL

/// Conversions between `ASN1_OBJECT` and dotted text.
enum ObjectText {
    /// The dotted form of `object` (`1.3.6.1.4.1.3704.1.4`), never a long name.
    /// The corresponding C function is `OBJ_obj2txt` with `no_name = 1`.
    static func dotted(_ object: OpaquePointer?) -> String {
        var buffer = [CChar](repeating: 0, count: 128)
        let count = OBJ_obj2txt(&buffer, Int32(buffer.count), object, 1)
        guard count > 0, Int(count) < buffer.count else { return "?" }
        return String(decoding: buffer.prefix(Int(count)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A new `ASN1_OBJECT` for a dotted OID; the caller frees it with `ASN1_OBJECT_free`.
    /// The corresponding C function is `OBJ_txt2obj` with `no_name = 1`.
    static func object(dotted oid: String) throws(OpenSSLError) -> OpaquePointer {
        guard let object = OBJ_txt2obj(oid, 1) else { throw .drainingQueue(operation: "OBJ_txt2obj(\(oid))") }
        return object
    }
}
