import GuestGuardCore
import GuestGuardPlatform
import GuestGuardTestSupport
import Testing

@Suite struct BootUnlockTests {
    let clock = RecordingClock()
    let power = RecordingPowerControl()
    let console = ConsoleLines()

    func boot(_ retries: RetryPolicy, power: RecordingPowerControl? = nil) -> BootUnlock {
        let lines = console
        return BootUnlock(retries: retries, clock: clock, power: power ?? self.power) { lines.write($0) }
    }

    @Test func unlockedFirstTimeNeitherSleepsNorPowersOff() async {
        let script = ScriptedAttempts([[ScriptedAttempts.active()]])
        let outcome = await boot(.bootUnlock).run { script.next() }
        guard case .unlocked(let attempts, let results) = outcome else { Issue.record("expected unlocked, got \(outcome)"); return }
        #expect(attempts == 1 && results.count == 1)
        #expect(clock.sleeps.isEmpty && power.powerOffs == 0 && console.all.isEmpty)
    }

    @Test func brokerDownRetriesWithExponentialBackoffThenPowersOff() async {
        let retries = RetryPolicy(attempts: 5, initialDelay: .milliseconds(250), maximumDelay: .milliseconds(1_500))
        let script = ScriptedAttempts([[ScriptedAttempts.failed(.key("broker http://10.0.2.2:1: connection refused"))]])
        let outcome = await boot(retries).run { script.next() }
        guard case .poweredOff(let attempts, nil) = outcome else { Issue.record("expected power-off, got \(outcome)"); return }
        #expect(attempts == 5 && script.attempts == 5 && power.powerOffs == 1)
        #expect(clock.sleeps == [250, 500, 1_000, 1_500].map { Duration.milliseconds($0) })
        let failures = console.all.filter { $0.hasPrefix("guestguard: attempt ") }
        #expect(failures.count == 5)
        #expect(failures[0] == "guestguard: attempt 1/5: /dev/vda: no key: broker http://10.0.2.2:1: connection refused")
        #expect(console.all.last == "guestguard: root not unlocked after 5 attempts; powering off")
    }

    @Test func recoversWhenTheBrokerComesBack() async {
        let script = ScriptedAttempts([[ScriptedAttempts.failed(.key("connection refused"))], [ScriptedAttempts.active()]])
        let outcome = await boot(RetryPolicy(attempts: 3, initialDelay: .milliseconds(10), maximumDelay: .milliseconds(10))).run { script.next() }
        guard case .unlocked(2, _) = outcome else { Issue.record("expected unlocked on attempt 2, got \(outcome)"); return }
        #expect(power.powerOffs == 0 && clock.sleeps == [.milliseconds(10)] && console.all.count == 1)
    }

    @Test func refusedHeaderIsNotRetried() async {
        let script = ScriptedAttempts([[ScriptedAttempts.failed(.headerRefused(device: "/dev/vda", violations: ["segment 0: cipher_null is not allowed"]))]])
        let outcome = await boot(.bootUnlock).run { script.next() }
        guard case .poweredOff(1, _) = outcome else { Issue.record("expected power-off after one attempt, got \(outcome)"); return }
        #expect(script.attempts == 1 && clock.sleeps.isEmpty && power.powerOffs == 1)
        // The error already names the device: it is not repeated.
        #expect(console.all.first == "guestguard: attempt 1/5: /dev/vda: LUKS2 header refused: segment 0: cipher_null is not allowed")
    }

    /// A foreign volume or a pre-existing mapping will not go away by waiting: power-off at once;
    /// an expected volume that is not there yet (udev) is retried.
    @Test(arguments: [
        (UnlockError.unexpectedVolume(device: "/dev/vdb", uuid: "u", reason: "not a volume the configuration names"), 1),
        (UnlockError.mappingExists(device: "/dev/vda", name: "root", reason: "dm-0 existed before guestguard ran"), 1),
        (UnlockError.expectedVolumeMissing(uuid: "u"), 2),
    ])
    func foreignVolumesAndMappingsAreNotRetried(error: UnlockError, attempts: Int) async {
        let script = ScriptedAttempts([[ScriptedAttempts.failed(error)]])
        let outcome = await boot(RetryPolicy(attempts: 2, initialDelay: .milliseconds(1), maximumDelay: .milliseconds(1))).run { script.next() }
        guard case .poweredOff(attempts, _) = outcome else { Issue.record("expected power-off after \(attempts), got \(outcome)"); return }
        #expect(script.attempts == attempts && power.powerOffs == 1)
        #expect(console.all.contains("guestguard: a volume or mapping the configuration does not expect is present; not retrying") == (attempts == 1))
    }

    @Test func theLastRootOfTheCommandLineIsTheOneChecked() {
        #expect(KernelCommandLine("console=ttyS0 root=/dev/mapper/root ro root=/dev/vdb\n").lastValue(of: "root") == "/dev/vdb")
        #expect(KernelCommandLine("rootfstype=ext4 ro").lastValue(of: "root") == nil)
        #expect(KernelCommandLine("root=\"/dev/mapper/root\"").lastValue(of: "root") == "\"/dev/mapper/root\"", "quotes are kept, so refused")
    }

    @Test func parametersThatGoAroundTheUnlockInASystemdInitrd() {
        let line = KernelCommandLine("root=/dev/mapper/root rd.systemd.mask=guestguard-unlock.service mount.usr=/dev/vdb systemd.unit=multi-user.target "
            + "rd.systemd.unit=emergency.target systemd.run=/bin/sh rd.systemd.mount-extra=/dev/vdc:/usr rd.cmdline=ask rd.luks=0 quiet")
        #expect(line.refusedTokensForSystemdInitrd == ["rd.systemd.mask=guestguard-unlock.service", "mount.usr=/dev/vdb", "rd.systemd.unit=emergency.target",
                                                       "systemd.run=/bin/sh", "rd.systemd.mount-extra=/dev/vdc:/usr", "rd.cmdline=ask"])
        #expect(KernelCommandLine("console=ttyS0 root=/dev/mapper/root ro ip=dhcp rd.neednet=1").refusedTokensForSystemdInitrd.isEmpty)
    }

    @Test func noTokenedDeviceIsAFailure() async {
        let script = ScriptedAttempts([[]])
        let outcome = await boot(RetryPolicy(attempts: 2, initialDelay: .milliseconds(1), maximumDelay: .milliseconds(1))).run { script.next() }
        guard case .poweredOff(2, _) = outcome else { Issue.record("expected power-off, got \(outcome)"); return }
        #expect(console.all.filter { $0.hasSuffix("no block device carries a guestguard token") }.count == 2)
    }

    @Test(arguments: ["/dev/vdb", "/dev/mapper/other", "UUID=0b2c6c3e-5a8d-4c1e-9d57-0a4f3f0e9a11"])
    func rootMustBeAMappingGuestguardMade(root: String) async {
        let script = ScriptedAttempts([[ScriptedAttempts.active(name: "root")]])
        let outcome = await boot(.bootUnlock).run(expectedRoot: root) { script.next() }
        guard case .poweredOff(1, _) = outcome else { Issue.record("expected power-off for root=\(root), got \(outcome)"); return }
        #expect(power.powerOffs == 1 && console.all.contains { $0.contains("\(root) is not a volume guestguard unlocked") })
    }

    @Test func expectedRootThatWasUnlockedBoots() async {
        let script = ScriptedAttempts([[ScriptedAttempts.active(name: "root")]])
        let outcome = await boot(.bootUnlock).run(expectedRoot: "/dev/mapper/root") { script.next() }
        guard case .unlocked = outcome else { Issue.record("expected unlocked, got \(outcome)"); return }
        #expect(power.powerOffs == 0)
    }

    @Test func oneFailedVolumeOfTwoIsAFailure() async {
        let script = ScriptedAttempts([[ScriptedAttempts.active(), ScriptedAttempts.failed(.key("policy rejected the report"), device: "/dev/vdb")]])
        let outcome = await boot(RetryPolicy(attempts: 2, initialDelay: .milliseconds(0), maximumDelay: .milliseconds(0))).run { script.next() }
        guard case .poweredOff(2, _) = outcome else { Issue.record("expected power-off, got \(outcome)"); return }
        #expect(console.all.filter { $0.contains("/dev/vdb: no key: policy rejected the report") }.count == 2)
    }

    @Test func failureLinesAreSingleLines() async {
        let script = ScriptedAttempts([[ScriptedAttempts.failed(.key("first\nsecond"))]])
        _ = await boot(RetryPolicy(attempts: 1, initialDelay: .milliseconds(0), maximumDelay: .milliseconds(0))).run { script.next() }
        #expect(console.all.first == "guestguard: attempt 1/1: /dev/vda: no key: first second")
    }

    @Test func aFailedPowerOffIsReported() async {
        let broken = RecordingPowerControl(failure: PlatformError(operation: "reboot(RB_POWER_OFF)", errno: 1))
        let script = ScriptedAttempts([[]])
        let outcome = await boot(RetryPolicy(attempts: 1, initialDelay: .milliseconds(0), maximumDelay: .milliseconds(0)), power: broken).run { script.next() }
        guard case .poweredOff(1, .some(let error)) = outcome else { Issue.record("expected the power-off error, got \(outcome)"); return }
        #expect(error.errno == 1 && console.all.last?.hasPrefix("guestguard: power-off failed: reboot(RB_POWER_OFF)") == true)
    }
}
