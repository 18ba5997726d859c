/// The states of a job (docs/job-states.md has every transition and who makes it).
public enum JobState: String, Sendable, CaseIterable, Codable {
    /// Waiting to run (possibly delayed until its run time).
    case queued
    /// An attempt is running on a worker.
    case running
    /// An attempt failed and the job will run again at its run time.
    case retrying
    /// Finished with a result.
    case succeeded
    /// Attempts exhausted, or an error that must not be retried.
    case failed
    /// Cancelled before or while running.
    case cancelled

    /// True for the states a job never leaves.
    public var isFinished: Bool {
        self == .succeeded || self == .failed || self == .cancelled
    }
}
