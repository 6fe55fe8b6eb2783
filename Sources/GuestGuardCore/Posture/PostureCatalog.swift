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

    /// Everything the deny policy governs: `standard` then `channels`.
    public static let all: [any PostureItem] = standard + channels
}
