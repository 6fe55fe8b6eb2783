/// The posture items `guestguard status` evaluates, in display order.
public enum PostureCatalog {
    public static let standard: [any PostureItem] = [
        MemoryEncryptionItem(),
        RootDiskEncryptionItem(),
        SwapEncryptionItem(),
        KernelLockdownItem(),
        SysRqItem(),
        KernelConsolesItem(),
    ]
}
