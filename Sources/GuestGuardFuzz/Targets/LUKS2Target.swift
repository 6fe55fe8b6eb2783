import CanonicalJSON
import GuestGuardCore
import GuestGuardPosture
import LUKS2Policy

/// The LUKS2 header's JSON metadata, which the host writes, through the parser with the limits
/// `LUKSVolume.parsedMetadata` uses and `LUKS2HeaderValidator` with the default policy, as if our
/// token were absent, 0 or 1; and every token-shaped member through `GuestGuardToken(jsonText:)`.
enum LUKS2Target {
    static let limits = JSONParser.Limits(maxBytes: 4 << 20 + 4096, maxDepth: 32, maxStringBytes: 1 << 20)

    static let target = FuzzTarget(name: "luks2", summary: "LUKS2 header JSON through LUKS2HeaderValidator and the guestguard token reader") { input in
        let text = String(decoding: input, as: UTF8.self)
        if GuestGuardToken.isGuestGuardToken(jsonText: text) {
            do { _ = try GuestGuardToken(jsonText: text) } catch { _ = "\(error)" }
        }
        guard let metadata = try? JSONParser.parse(input, limits: limits) else { return }
        for ourToken in [nil, 0, 1] as [Int?] {
            let violations = LUKS2HeaderValidator.validate(metadata: metadata, ourToken: ourToken)
            for violation in violations {
                fuzzCheck(!violation.description.isEmpty, "violation without a description")
            }
            if violations.isEmpty {
                fuzzCheck(metadata["segments"]?.objectValue?.count == 1, "accepted a header without exactly one segment")
                if let ourToken {
                    fuzzCheck(metadata["tokens"]?["\(ourToken)"]?["type"]?.stringValue == GuestGuardToken.type, "accepted a header without our token")
                }
            }
        }
        if let tokens = metadata["tokens"]?.objectValue {
            for token in tokens.values {
                guard let tokenText = try? token.serializedBytes() else { continue }
                do { _ = try GuestGuardToken(jsonText: String(decoding: tokenText, as: UTF8.self)) } catch { _ = "\(error)" }
            }
        }
    }
}
