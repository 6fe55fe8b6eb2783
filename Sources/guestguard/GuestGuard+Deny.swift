import ArgumentParser
import GuestGuardBoot
import GuestGuardConfig
import GuestGuardCore
import GuestGuardPosture
import GuestGuardLinux
import GuestGuardLinuxProcesses
import GuestGuardPlatform

extension GuestGuard {
    struct Deny: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Close host-to-guest channels according to the deny policy.",
            discussion: """
                Computes the changes the policy (/etc/guestguard/policy.toml; channels.md §10 defaults when absent) \
                still needs, prints them as a diff, and applies them: unit masks through systemctl, sysctl.d and \
                /proc/sys values, modprobe.d blocks, configuration files. Every change is journaled in \
                /var/lib/guestguard/deny-journal.json first; --undo restores what was there. A second run \
                prints no changes. See docs/deny.md.
                """
        )

        @Option(help: ArgumentHelp("The deny policy.", valueName: "FILE"))
        var policy: String?

        @Flag(help: "Print the plan (or, with --undo, what would be restored) and change nothing.")
        var dryRun = false

        @Flag(help: "Restore everything the journal records, newest first, then remove the journal.")
        var undo = false

        @Option(name: .customLong("root"), help: ArgumentHelp("Work on the tree under DIR instead of / (tests).", visibility: .hidden))
        var root: String = ""

        func run() throws {
            let files: any FileSystem = root.isEmpty ? HostFileSystem() : OfflineTreeFileSystem(root: root)
            let services = SystemctlServiceManager(root: root)
            let executor = DenyExecutor(files: files, services: services)
            if undo {
                try runUndo(executor)
                return
            }
            let policy = try loadPolicy(files)
            let plan: DenyPlan
            do { plan = try DenyPlanner(files: files, services: services).plan(policy: policy) } catch {
                throw CLIError(message: "cannot compute the deny plan", causes: ["\(error)"])
            }
            print(plan.text)
            guard !dryRun, !plan.isEmpty else { return }
            do { try executor.apply(plan, at: SystemClock().now()) } catch {
                throw CLIError(message: "deny stopped", causes: ["\(error)", "the journal \(DenyJournal.defaultPath) records every change; guestguard deny --undo restores them"])
            }
            print("applied \(plan.steps.count) change\(plan.steps.count == 1 ? "" : "s"); undo with: guestguard deny --undo")
        }

        func loadPolicy(_ files: any FileSystem) throws -> DenyPolicy {
            try DenyPolicyFile.load(option: policy, files: files, checkOwner: root.isEmpty)
        }

        func runUndo(_ executor: DenyExecutor) throws {
            if dryRun {
                let journal: DenyJournal
                do { journal = try DenyJournal.load(executor.journalPath, files: executor.files) } catch { throw CLIError(message: "cannot read the journal", causes: ["\(error)"]) }
                if journal.entries.isEmpty { print("nothing to undo: no journal at \(executor.journalPath)") }
                for entry in journal.entries.reversed() {
                    let how = entry.step.change.isReversible ? "restore" : "cannot restore (one-way until reboot)"
                    print("\(how) \(entry.step.change.subject)  [\(entry.step.itemIDs.joined(separator: ", "))]")
                }
                return
            }
            let result: DenyExecutor.UndoResult
            do { result = try executor.undo() } catch { throw CLIError(message: "undo failed", causes: ["\(error)"]) }
            for step in result.restored { print("restored \(step.change.subject)") }
            for step in result.irreversible { print("kept \(step.change.subject) (one-way until reboot)") }
            if result.restored.isEmpty && result.irreversible.isEmpty { print("nothing to undo") }
        }
    }
}
