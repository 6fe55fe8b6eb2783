import CanonicalJSON
import LUKS2Policy
import Testing

/// Our token must be a `guestguard` token on exactly one existing keyslot bound to the data
/// segment, and no other token may refer to that keyslot (real images with two keyslots).
@Suite struct LUKS2TokenBindingTests {
    @Test func secondTokenOnOurKeyslotIsRefused() throws {
        let image = try LUKS2Image()
        #expect(try image.addKeyslot() == 1)
        let ours = try image.addToken(keyslots: [0])
        let intruder = try image.addToken(type: "clevis", keyslots: [1, 0])
        let violations = LUKS2HeaderValidator.validate(metadata: try image.metadata(), ourToken: ours)
        #expect(violations == [.keyslotClaimedByOtherToken(path: "tokens.\(intruder).keyslots", keyslot: "0")])
    }

    @Test func tokenOnSomeoneElsesKeyslotIsRefused() throws {
        let image = try LUKS2Image()
        try image.addKeyslot()
        let theirs = try image.addToken(type: "clevis", keyslots: [1])
        let ours = try image.addToken(keyslots: [1])
        let violations = LUKS2HeaderValidator.validate(metadata: try image.metadata(), ourToken: ours)
        #expect(violations == [.keyslotClaimedByOtherToken(path: "tokens.\(theirs).keyslots", keyslot: "1")])
        // A token on another keyslot does not concern ours.
        let clean = try image.metadata().setting("tokens.\(theirs).keyslots", to: ["0"])
        #expect(LUKS2HeaderValidator.validate(metadata: clean, ourToken: ours) == [])
    }

    @Test func ourTokenMustExistAndBeOurs() throws {
        let image = try LUKS2Image()
        try image.addKeyslot()
        let foreign = try image.addToken(type: "clevis", keyslots: [0])
        let metadata = try image.metadata()
        #expect(LUKS2HeaderValidator.validate(metadata: metadata, ourToken: 7) == [.tokenMissing(path: "tokens.7")])
        #expect(LUKS2HeaderValidator.validate(metadata: metadata, ourToken: foreign) == [.tokenType(path: "tokens.\(foreign).type", value: "clevis")])
        #expect(LUKS2HeaderValidator.validate(metadata: metadata, ourToken: nil) == [], "without a token only the header is checked")
    }

    @Test func ourTokenMustNameExactlyOneBoundKeyslot() throws {
        let image = try LUKS2Image()
        try image.addKeyslot()
        let ours = try image.addToken(keyslots: [0, 1])
        let metadata = try image.metadata()
        #expect(LUKS2HeaderValidator.validate(metadata: metadata, ourToken: ours) == [.tokenKeyslotCount(path: "tokens.\(ours).keyslots", count: 2)])
        let missingSlot = metadata.setting("tokens.\(ours).keyslots", to: ["5"])
        #expect(LUKS2HeaderValidator.validate(metadata: missingSlot, ourToken: ours) == [.tokenKeyslotMissing(path: "tokens.\(ours).keyslots.0", keyslot: "5")])
        let unbound = metadata.setting("tokens.\(ours).keyslots", to: ["1"]).setting("digests.0.keyslots", to: ["0"])
        #expect(LUKS2HeaderValidator.validate(metadata: unbound, ourToken: ours) == [.keyslotNotBoundToSegment(path: "keyslots.1", keyslot: "1")])
    }
}
