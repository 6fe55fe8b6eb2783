/// QEMU's CPU models and their CPUID Fn0000_0001_EAX signatures (`builtin_x86_defs`), and the
/// encoding (AMD #25481 "CPUID Specification", Fn0000_0001_EAX Family, Model, Stepping Identifiers).
public enum VCPUType {
    /// The EAX signature of family/model/stepping: families above 0xF put 0xF in the base field
    /// and the rest in the extended field.
    public static func signature(family: Int, model: Int, stepping: Int) throws(MeasurementError) -> UInt32 {
        guard (0...(0xF + 0xFF)).contains(family) else { throw .invalidInput(what: "vCPU family", reason: "\(family) is outside 0…270") }
        guard (0...0xFF).contains(model) else { throw .invalidInput(what: "vCPU model", reason: "\(model) is outside 0…255") }
        guard (0...0xF).contains(stepping) else { throw .invalidInput(what: "vCPU stepping", reason: "\(stepping) is outside 0…15") }
        let (familyLow, familyHigh) = family > 0xF ? (0xF, family - 0xF) : (family, 0)
        let value = familyHigh << 20 | (model >> 4) << 16 | familyLow << 8 | (model & 0xF) << 4 | stepping
        return UInt32(value)
    }

    /// (name, family, model, stepping) of each model the peer knows, in its order.
    static let models: [(String, Int, Int, Int)] = [
        ("EPYC", 23, 1, 2), ("EPYC-v1", 23, 1, 2), ("EPYC-v2", 23, 1, 2), ("EPYC-IBPB", 23, 1, 2), ("EPYC-v3", 23, 1, 2), ("EPYC-v4", 23, 1, 2),
        ("EPYC-Rome", 23, 49, 0), ("EPYC-Rome-v1", 23, 49, 0), ("EPYC-Rome-v2", 23, 49, 0), ("EPYC-Rome-v3", 23, 49, 0),
        ("EPYC-Milan", 25, 1, 1), ("EPYC-Milan-v1", 25, 1, 1), ("EPYC-Milan-v2", 25, 1, 1),
        ("EPYC-Genoa", 25, 17, 0), ("EPYC-Genoa-v1", 25, 17, 0), ("EPYC-Turin", 26, 0, 0),
    ]

    /// The model names, in the peer's order.
    public static var names: [String] { models.map(\.0) }

    /// The signature of a named model; nil for an unknown name.
    public static func signature(named name: String) -> UInt32? {
        guard let model = models.first(where: { $0.0 == name }) else { return nil }
        return try? signature(family: model.1, model: model.2, stepping: model.3)
    }
}
