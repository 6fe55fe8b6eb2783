/// Cloud agents that run commands or create users for the provider (channels.md G1–G3): google-guest-agent and its metadata script runners, WALinuxAgent (JIT sudo users regardless of `Extensions.Enabled`), amazon-ssm-agent (Run Command, Session Manager).
public struct CloudAgentsItem: PostureItem {
    public let id = "cloud-agents"
    public let title = "cloud agents"
    public let channel: String? = "P18"
    public let defaultMode = DenyMode.enforce
    public init() {}

    public var rules: [DenyRule] {
        [.maskUnits([
            "google-guest-agent.service", "google-startup-scripts.service", "google-shutdown-scripts.service",
            "walinuxagent.service", "waagent.service",
            "amazon-ssm-agent.service", "snap.amazon-ssm-agent.amazon-ssm-agent.service",
        ])]
    }

    public func evaluate(_ context: PostureContext) -> PostureFinding {
        evaluateRules(context, processes: ["google_guest_agent", "google_metadata_script_runner", "amazon-ssm-agent", "ssm-agent-worker", "ssm-session-worker"])
    }
}
