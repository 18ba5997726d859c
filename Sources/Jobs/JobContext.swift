import AppSupport
import Postgres
import Synchronization
import Threads
#if canImport(Glibc)
import Glibc
#endif

/// Why a running job was asked to stop.
public enum StopReason: Int, Sendable {
    case none = 0
    /// Cancelled by a user.
    case cancelled = 1
    /// Past its time limit.
    case timedOut = 2
    /// The daemon is shutting down; the job is handed back to the queue.
    case shutdown = 3
}

/// Shared between a running job and the daemon: the daemon sets a reason, the task sees it at
/// its next checkpoint.
public final class CancellationToken: Sendable {
    private let reason = Atomic<Int>(0)

    /// A token not yet triggered.
    public init() {}

    /// Asks the job to stop; the first reason wins.
    public func stop(_ why: StopReason) {
        _ = reason.compareExchange(expected: 0, desired: why.rawValue, ordering: .sequentiallyConsistent)
    }

    /// The reason, or `.none`.
    public var stopReason: StopReason { StopReason(rawValue: reason.load(ordering: .sequentiallyConsistent)) ?? .none }
}

/// Thrown by `checkpoint()` when the job must stop.
public struct JobStopped: Error, Sendable, CustomStringConvertible {
    public let reason: StopReason
    public var description: String {
        switch reason {
        case .cancelled: return "cancelled"
        case .timedOut: return "timed out"
        case .shutdown: return "stopped for shutdown"
        case .none: return "stopped"
        }
    }
}

/// An error that retrying cannot fix (bad input, unknown city): the job fails at once.
public struct PermanentFailure: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// What a running task sees: its job, its arguments, a way to report progress and to learn that
/// it must stop, and the worker thread's database connection.
public final class JobContext {
    /// The job's id.
    public let jobID: Int
    /// The task name.
    public let task: String
    /// The arguments.
    public let args: JSONValue
    /// This attempt's number (1 for the first).
    public let attempt: Int
    /// The token the daemon triggers.
    public let token: CancellationToken
    private let progressSink: (Int, Int, String?) -> Void
    private let databaseProvider: () throws -> PostgresConnection

    /// Creates a context (the daemon and `TaskRunner run` do).
    public init(
        jobID: Int, task: String, args: JSONValue, attempt: Int, token: CancellationToken,
        progress: @escaping (Int, Int, String?) -> Void, database: @escaping () throws -> PostgresConnection
    ) {
        self.jobID = jobID
        self.task = task
        self.args = args
        self.attempt = attempt
        self.token = token
        self.progressSink = progress
        self.databaseProvider = database
    }

    /// Throws `JobStopped` when the job was cancelled, timed out, or the daemon is stopping.
    public func checkpoint() throws {
        let reason = token.stopReason
        if reason != .none { throw JobStopped(reason: reason) }
    }

    /// Records progress (`current` of `total`, and a short message), visible at once.
    public func progress(_ current: Int, of total: Int, _ message: String? = nil) {
        progressSink(current, total, message)
    }

    /// The worker thread's database connection (opened on first use).
    public func database() throws -> PostgresConnection {
        try databaseProvider()
    }

    /// Sleeps up to `duration`, waking early (and throwing) when the job must stop.
    public func sleep(_ duration: Duration) throws {
        let clock = ContinuousClock()
        let deadline = clock.now + duration
        while clock.now < deadline {
            try checkpoint()
            let remaining = clock.now.duration(to: deadline)
            let slice = min(remaining, .milliseconds(20))
            blockingSleep(slice)
        }
        try checkpoint()
    }
}
