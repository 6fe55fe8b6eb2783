/// Where the guest's TPM lives (docs/tpm.md, "Which vTPM").
public enum TpmKind: String, Sendable, Hashable {
    /// No TPM character device.
    case none
    /// A vTPM the SVSM runs inside the CVM at VMPL0 (Linux driver `tpm-svsm`): the hypervisor
    /// cannot read or forge its state.
    case svsm
    /// A TPM the hypervisor emulates (tpm_tis / tpm_crb over MMIO, e.g. QEMU + swtpm): the host
    /// owns its state. Fine for a measured trace the broker re-checks; never trusted to seal keys.
    case hypervisor

    /// The sysfs TPM class directory of the first TPM.
    public static let sysfsDirectory = "/sys/class/tpm/tpm0"
    /// The driver name Linux's SVSM vTPM driver registers (`drivers/char/tpm/tpm_svsm.c`).
    public static let svsmDriver = "tpm-svsm"

    /// Classifies from the driver bound to tpm0 and the SVSM signal of detection. A `tpm-svsm`
    /// driver without an SVSM signal is reported as hypervisor-provided: the host can name a device
    /// anything, only the SNP side (VMPL > 0, SVSM CAA) says an SVSM really runs.
    public static func classify(driver: String?, svsmDetected: Bool?) -> TpmKind {
        guard let driver else { return .none }
        return driver == svsmDriver && svsmDetected == true ? .svsm : .hypervisor
    }
}
