/// The posture items, in display order.
public enum PostureCatalog {
    /// What `guestguard status` evaluates without a policy (schema v1's original six items).
    public static let standard: [any PostureItem] = [
        MemoryEncryptionItem(),
        RootDiskEncryptionItem(),
        SwapEncryptionItem(),
        KernelLockdownItem(),
        SysRqItem(),
        KernelConsolesItem(),
    ]

    /// The channel items of channels.md §10 (P01–P31) not already in `standard`, by P-number.
    public static let channels: [any PostureItem] = [
        QemuGuestAgentItem(), HyperVFileCopyItem(), HyperVKVPItem(), HyperVVSSItem(), VsockTransportsItem(), VsockListenersItem(),
        VMwareToolsItem(), SpiceAgentItem(), SerialGettysItem(), VirtualTerminalGettysItem(), DebugShellItem(), RescueShellItem(),
        CtrlAltDelItem(), KeyboardInputItem(), CredentialInjectionItem(), CloudInitItem(), CloudAgentsItem(),
        SSHAuthorizedKeysCommandItem(), HostSharedFilesystemsItem(), KdumpItem(), CoreDumpsItem(), EFIPstoreItem(), HibernationItem(),
        ModuleSignaturesItem(), InfoLeakSysctlsItem(), DebugfsItem(), KernelCommandLineItem(),
    ]

    /// The vTPM (issue 8): present or not, its kind (SVSM in the CVM or the hypervisor's), the PCR
    /// bank with the unlock measurement in PCR 15. Report-only: a vTPM cannot be enforced.
    public static let vtpm: [any PostureItem] = [TpmPresenceItem(), TpmKindItem(), TpmPCRItem()]

    /// Everything the deny policy governs and `guestguard serve` reports: `standard`, `channels`,
    /// then `vtpm`.
    public static let all: [any PostureItem] = standard + channels + vtpm
}
