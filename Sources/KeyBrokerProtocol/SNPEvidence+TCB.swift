extension SNPEvidence {
    /// sev `TcbVersion` (SEV7 `host/types/snp.rs:506-521`): `{"fmc":u8|null,"bootloader","tee","snp","microcode"}`.
    /// `fmc` is null on Milan/Genoa and a number on Turin.
    public struct TCB: Encodable, Hashable, Sendable {
        public let fmc: UInt8?
        public let bootloader: UInt8
        public let tee: UInt8
        public let snp: UInt8
        public let microcode: UInt8

        public init(fmc: UInt8?, bootloader: UInt8, tee: UInt8, snp: UInt8, microcode: UInt8) {
            self.fmc = fmc
            self.bootloader = bootloader
            self.tee = tee
            self.snp = snp
            self.microcode = microcode
        }

        enum CodingKeys: String, CodingKey {
            case fmc, bootloader, tee, snp, microcode
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(fmc, forKey: .fmc)
            try container.encode(bootloader, forKey: .bootloader)
            try container.encode(tee, forKey: .tee)
            try container.encode(snp, forKey: .snp)
            try container.encode(microcode, forKey: .microcode)
        }

        /// Reads the 8 bytes at `offset`; the unused bytes of the layout must be zero.
        init(report bytes: [UInt8], at offset: Int, layout: SNPTCBLayout) throws(SNPEvidenceError) {
            let tcb = bytes.bytes(at: offset, count: 8)
            switch layout {
            case .legacy:
                guard tcb[2..<6].allSatisfy({ $0 == 0 }) else { throw .reservedNonZero(offset: offset + 2, count: 4) }
                self.init(fmc: nil, bootloader: tcb[0], tee: tcb[1], snp: tcb[6], microcode: tcb[7])
            case .turin:
                guard tcb[4..<7].allSatisfy({ $0 == 0 }) else { throw .reservedNonZero(offset: offset + 4, count: 3) }
                self.init(fmc: tcb[0], bootloader: tcb[1], tee: tcb[2], snp: tcb[3], microcode: tcb[7])
            }
        }

        /// The 8 bytes for `layout`; `field` names this TCB in errors (`reported_tcb`, …).
        func bytes(layout: SNPTCBLayout, field: String) throws(SNPEvidenceError) -> [UInt8] {
            switch layout {
            case .legacy:
                guard fmc == nil else { throw .unexpectedField(field + ".fmc") }
                return [bootloader, tee, 0, 0, 0, 0, snp, microcode]
            case .turin:
                guard let fmc else { throw .missingField(field + ".fmc") }
                return [fmc, bootloader, tee, snp, 0, 0, 0, microcode]
            }
        }
    }

    /// sev `Version` (SEV7 `snp.rs:136-146`): `{"major","minor","build"}`; in the report the
    /// bytes are build, minor, major (CURRENT_BUILD/MINOR/MAJOR at 0x1E8, COMMITTED_* at 0x1EC).
    public struct FirmwareVersion: Encodable, Hashable, Sendable {
        public let major: UInt8
        public let minor: UInt8
        public let build: UInt8

        public init(major: UInt8, minor: UInt8, build: UInt8) {
            self.major = major
            self.minor = minor
            self.build = build
        }

        init(report bytes: [UInt8], at offset: Int) {
            self.init(major: bytes[offset + 2], minor: bytes[offset + 1], build: bytes[offset])
        }

        var bytes: [UInt8] { [build, minor, major] }
    }

    /// sev ECDSA `Signature` (SEV7 `certs/snp/ecdsa/mod.rs:31-40`): `{"r":[72],"s":[72]}`, each the
    /// little-endian P-384 scalar zero-padded to 72 bytes, exactly as in the report.
    public struct Signature: Encodable, Hashable, Sendable {
        public static let componentByteCount = 72
        public let r: [UInt8]
        public let s: [UInt8]

        public init(r: [UInt8], s: [UInt8]) {
            self.r = r
            self.s = s
        }

        enum CodingKeys: String, CodingKey {
            case r, s
        }
    }
}
