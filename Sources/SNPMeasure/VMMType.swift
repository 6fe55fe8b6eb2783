/// Which VMM launches the guest: its initial register state differs slightly (see ``VMSA``).
public enum VMMType: String, Sendable, Hashable, CaseIterable {
    case qemu = "QEMU"
    case ec2
    case gce
}
