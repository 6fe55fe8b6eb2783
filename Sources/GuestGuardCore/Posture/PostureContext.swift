import GuestGuardPlatform

/// What posture items read: the file tree and the detection result (computed once).
public struct PostureContext: Sendable {
    public let files: any FileSystem
    public let detection: DetectionReport

    public init(files: any FileSystem, detection: DetectionReport) {
        self.files = files
        self.detection = detection
    }
}
