import CanonicalJSON
import GuestGuardPlatform
import SNPABI

/// What the unlock, enrolment and format use cases read from an opened volume.
extension LUKSVolume {
    /// Every active token whose `type` is `guestguard`, by id, with its JSON text (parsed or not).
    func guestguardTokens() throws(LUKSVolumeError) -> [(id: Int, text: String)] {
        var found: [(id: Int, text: String)] = []
        for id in 0..<32 {
            guard let text = try tokenJSON(id), GuestGuardToken.isGuestGuardToken(jsonText: text) else { continue }
            found.append((id, text))
        }
        return found
    }

    /// The metadata JSON parsed (LUKS2 JSON areas reach 4 MiB; libcryptsetup already parsed and
    /// bounded this text).
    func parsedMetadata(device: String) throws(UnlockError) -> JSONValue {
        let limits = JSONParser.Limits(maxBytes: 4 << 20 + 4096, maxDepth: 32, maxStringBytes: 1 << 20)
        let text: String
        do { text = try metadataJSON() } catch { throw .volume(error) }
        do { return try JSONParser.parse(Array(text.utf8), limits: limits) } catch { throw .metadata(device: device, reason: "\(error)") }
    }
}

extension GuestGuardToken {
    /// True when `jsonText` is a JSON object whose `type` is `guestguard` (whatever else it holds).
    public static func isGuestGuardToken(jsonText: String) -> Bool {
        guard jsonText.containsText(type), let value = try? JSONParser.parse(jsonText) else { return false }
        return value["type"]?.stringValue == type
    }
}
