import GuestGuardCore
import GuestGuardPlatform

/// Applies a deny plan and undoes it, through the platform protocols only.
///
/// `apply` is write-ahead: the steps not yet journaled are appended to the journal and the journal is saved before
/// the first change, so a crash in the middle leaves a journal whose undo is still exact (undoing
/// a change that never happened writes back what is already there).
public struct DenyExecutor: Sendable {
    public let files: any FileSystem
    public let services: any ServiceManager
    public let journalPath: String

    public init(files: any FileSystem, services: any ServiceManager, journalPath: String = DenyJournal.defaultPath) {
        self.files = files
        self.services = services
        self.journalPath = journalPath
    }

    /// Journals, then applies every step in order. Returns the number of changes made.
    @discardableResult
    public func apply(_ plan: DenyPlan, at time: Timestamp) throws(DenyError) -> Int {
        guard !plan.isEmpty else { return 0 }
        var journal = try DenyJournal.load(journalPath, files: files)
        // Undo restores the state before guestguard first touched a subject; a later change of the
        // same subject (re-enforcement after drift) adds nothing undo needs, so the journal stays
        // one entry per subject however often the watcher puts things back.
        let recorded = Set(journal.entries.map(\.step.change.key))
        journal.entries += plan.steps.filter { !recorded.contains($0.change.key) }.map { DenyJournal.Entry(time: time, step: $0) }
        try journal.save(journalPath, files: files)
        for (index, step) in plan.steps.enumerated() {
            do { try perform(step.change) } catch { throw .apply(subject: step.change.subject, completed: index, error) }
        }
        return plan.steps.count
    }

    func perform(_ change: DenyChange) throws(PlatformError) {
        switch change {
        case .file(let path, _, _, let after, let mode, let created):
            // A private file (0600) gets a private parent (`/root/.ssh`), anything else 0755.
            for directory in created { try files.createDirectory(directory, mode: mode & 0o077 == 0 ? 0o700 : 0o755) }
            if let after { try files.writeFile(path, bytes: after, mode: mode) } else if files.kind(path) != nil { try files.remove(path) }
        case .sysctl(let key, _, let after):
            try files.writeAttribute(DenyRule.procPath(sysctl: key), bytes: Array((after + "\n").utf8))
        case .unit(let name, let before, let wasActive):
            if before != .masked { try services.mask([name]) }
            if wasActive { try services.stop([name]) }
        case .attribute(let path, _, let after):
            try files.writeAttribute(path, bytes: Array(after.utf8))
        }
    }

    /// What `undo` did: the changes put back, and those that cannot be (one-way kernel settings).
    public struct UndoResult: Sendable, Hashable {
        public let restored: [DenyStep]
        public let irreversible: [DenyStep]
    }

    /// Replays the journal backwards, restoring every `before`. On success the journal is removed;
    /// on failure it keeps exactly the entries that could not be restored.
    public func undo() throws(DenyError) -> UndoResult {
        let journal = try DenyJournal.load(journalPath, files: files)
        var restored: [DenyStep] = []
        var irreversible: [DenyStep] = []
        var failed: [DenyJournal.Entry] = []
        var failures: [String] = []
        for entry in journal.entries.reversed() {
            guard entry.step.change.isReversible else {
                irreversible.append(entry.step)
                continue
            }
            do {
                try restore(entry.step.change)
                restored.append(entry.step)
            } catch {
                failed.insert(entry, at: 0)
                failures.append("\(entry.step.change.subject): \(error)")
            }
        }
        if failed.isEmpty {
            if files.kind(journalPath) != nil {
                do { try files.remove(journalPath) } catch { throw .journal(path: journalPath, reason: "cannot remove after undo: \(error)") }
            }
        } else {
            try DenyJournal(entries: failed).save(journalPath, files: files)
            throw .undoIncomplete(failures)
        }
        return UndoResult(restored: restored, irreversible: irreversible)
    }

    func restore(_ change: DenyChange) throws(PlatformError) {
        switch change {
        case .file(let path, let before, let beforeMode, _, _, let created):
            if let before {
                try files.writeFile(path, bytes: before, mode: beforeMode ?? 0o644)
            } else if files.kind(path) != nil {
                try files.remove(path)
            }
            for directory in created.reversed() where (try? files.listDirectory(directory))?.isEmpty == true {
                try files.remove(directory)
            }
        case .sysctl(let key, let before, _):
            try files.writeAttribute(DenyRule.procPath(sysctl: key), bytes: Array((before + "\n").utf8))
        case .unit(let name, let before, let wasActive):
            if before != .masked { try services.unmask([name]) }
            if wasActive { try services.start([name]) }
        case .attribute:
            break
        }
    }
}
