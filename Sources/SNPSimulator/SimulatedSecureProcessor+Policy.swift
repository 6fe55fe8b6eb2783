import SNPABI

extension SimulatedSecureProcessor {
    /// An example verification policy (docs/policy.md) that trusts exactly this simulator's ARK and
    /// its configured measurement, at its TCB, with debug and migration agents forbidden.
    public var examplePolicy: String {
        var tcb = """
            [report.minimum-tcb]
            bootloader = \(settings.bootLoader)
            tee = \(settings.tee)
            snp = \(settings.snp)
            microcode = \(settings.microcode)

            """
        if settings.generation.usesTurinTCBLayout { tcb += "fmc = \(settings.fmc)\n" }
        return """
            # Verification policy for reports from the guestguard SIMULATED secure processor.
            # It trusts the simulator's ARK by fingerprint; AMD's real roots are not listed here.
            version = 1

            [trust]
            roots = []              # AMD's roots are not trusted by this policy
            ark-fingerprints = ["\(arkFingerprint)"]

            [report]
            measurements = ["\(Hex.encode(settings.measurement))"]
            debug = "forbid"
            migration-agent = "forbid"
            vmpl = [0]

            """ + tcb
    }
}
