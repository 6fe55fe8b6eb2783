/// What the `ioctl(2)` on `/dev/sev-guest` returned.
public enum SNPGuestIoctlOutcome: Sendable, Hashable {
    /// The ioctl returned 0; the request's output fields are valid (check the response STATUS).
    case completed
    /// The ioctl returned -1 with this errno (`exitinfo2` may say more).
    case failed(errno: Int32)
    /// The ioctl returned a positive value: some kernels pass the GHCB call's `enum es_result`
    /// (1 ES_UNSUPPORTED, 2 ES_VMM_ERROR, …) straight through when the hypervisor call fails.
    case hypervisorCallFailed(result: Int32)
}
