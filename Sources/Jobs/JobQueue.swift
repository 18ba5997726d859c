import AppSupport
import FoundationEssentials
import Postgres

/// The queue's operations for producers and operators: enqueue (inside the caller's own
/// transaction when the connection is in one), look up, cancel, purge, wait.
public struct JobQueue: Sendable {
    /// The tasks jobs may name.
    public let registry: TaskRegistry
    /// Where wake-ups for jobs enqueued outside a transaction go; nil: a `NOTIFY` in the
    /// enqueuing statement itself (see `JobWakeups`).
    public let wakeups: (any JobWakeups)?

    /// A queue that accepts the tasks of `registry`, waking daemons through `wakeups` when given.
    public init(registry: TaskRegistry, wakeups: (any JobWakeups)? = nil) {
        self.registry = registry
        self.wakeups = wakeups
    }

    /// The channel daemons LISTEN on for runnable jobs.
    public static var jobsChannel: String { JobQueries.jobsChannel }

    /// The result of enqueueing one job.
    public struct Enqueued: Sendable, Equatable {
        /// The job's id.
        public var id: Int
        /// False when a job with the same unique key was already waiting or running: `id` is that job.
        public var created: Bool
    }

    /// Enqueues one job. It exists only if the caller's transaction (if any) commits, and daemons
    /// are woken at commit (outside a transaction, through `wakeups` when there are some). With a unique key already held by an unfinished job, returns that job.
    public func enqueue(_ request: EnqueueRequest, on connection: PostgresConnection) throws -> Enqueued {
        let enqueued = try enqueueJob(request, on: connection)
        return Enqueued(id: enqueued.job.id, created: enqueued.created)
    }

    /// Enqueues many jobs in few statements (chunks of `chunkSize`), one notification per chunk.
    /// Returns the ids created; jobs whose unique key is held are skipped.
    public func enqueueBatch(_ requests: [EnqueueRequest], on connection: PostgresConnection, chunkSize: Int = 5000) throws -> [Int] {
        let valid = try requests.map { request throws(EnqueueError) in try request.validated(against: registry) }
        var ids: [Int] = []
        ids.reserveCapacity(valid.count)
        var start = 0
        while start < valid.count {
            let chunk = valid[start..<min(start + chunkSize, valid.count)]
            let document = PostgresJSON(text: EnqueueRequest.batchDocument(chunk))
            for row in try connection.query(JobQueries.insertBatch(document)) {
                ids.append(try row.decode(Int.self, "id"))
            }
            start += chunkSize
        }
        return ids
    }

    /// The job with `id`, or nil.
    public func job(_ id: Int, on connection: PostgresConnection) throws -> Job? {
        try connection.query(JobQueries.byID(id)).first.map(Job.init(row:))
    }

    /// What `cancel` did.
    public enum CancelOutcome: Sendable, Equatable {
        /// The job was waiting and is now cancelled.
        case cancelled
        /// The job is running; its worker was told to stop it (it ends `cancelled`).
        case stopRequested
        /// The job had already finished in this state.
        case alreadyFinished(JobState)
        /// No such job.
        case notFound
    }

    /// Cancels a job that has not finished.
    public func cancel(_ id: Int, on connection: PostgresConnection) throws -> CancelOutcome {
        guard let row = try connection.query(JobQueries.cancel(id)).first else { return .notFound }
        let previous = JobState(rawValue: try row.decode(String.self, "previous")) ?? .failed
        switch previous {
        case .queued, .retrying: return .cancelled
        case .running: return .stopRequested
        default: return .alreadyFinished(previous)
        }
    }

    /// One finished attempt of a job.
    public struct Attempt: Sendable, Equatable {
        public var attempt: Int
        public var worker: String?
        public var startedAt: Date?
        public var finishedAt: Date
        public var outcome: String
        public var error: String?
    }

    /// The finished attempts of a job, oldest first.
    public func attempts(of id: Int, on connection: PostgresConnection) throws -> [Attempt] {
        try connection.query(JobQueries.attempts(jobID: id)).map { row in
            Attempt(
                attempt: try row.decode(Int.self, "attempt"), worker: try row.decode(String?.self, "worker"),
                startedAt: try row.decode(Date?.self, "started_at"), finishedAt: try row.decode(Date.self, "finished_at"),
                outcome: try row.decode(String.self, "outcome"), error: try row.decode(String?.self, "error"))
        }
    }

    /// Deletes jobs finished more than `retention` ago, `batchSize` rows per statement so inserts
    /// and claims are never blocked for long. Returns how many went.
    public func purgeFinished(olderThan retention: Duration, batchSize: Int = 5000, on connection: PostgresConnection) throws -> Int {
        let seconds = Int(retention.components.seconds)
        var total = 0
        while true {
            let deleted = try connection.execute(JobQueries.purgeFinished(olderThanSeconds: seconds, limit: batchSize))
            total += deleted
            if deleted < batchSize { return total }
        }
    }

    /// Rescues jobs whose worker stopped heartbeating `after` ago. Returns how many.
    public func rescueLostJobs(after: Duration, on connection: PostgresConnection) throws -> Int {
        try connection.query(JobQueries.rescue(afterSeconds: Int(after.components.seconds))).first?.decode(Int.self, "rescued") ?? 0
    }

    /// Waits until job `id` is finished or `timeout` passes, and returns it as it then is (nil
    /// when it does not exist). `listener` is a connection of the caller's thread used only for
    /// this; the wait is woken by the completion notification, not by polling (a slow poll runs
    /// as a safety net).
    public func waitUntilFinished(_ id: Int, timeout: Duration, listener: PostgresConnection) throws -> Job? {
        try listener.listen(JobQueries.doneChannel)
        defer { try? listener.unlisten(JobQueries.doneChannel) }
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        let wanted = String(id)
        while true {
            guard let job = try job(id, on: listener) else { return nil }
            if job.state.isFinished { return job }
            var heard = false
            while !heard {
                let remaining = clock.now.duration(to: deadline)
                if remaining <= .zero { return try self.job(id, on: listener) }
                let notes = try listener.waitForNotifications(timeout: min(remaining, .seconds(5)))
                if notes.isEmpty { break }  // safety net: re-read the job every few seconds
                heard = notes.contains { $0.payload.split(separator: ",").contains { $0 == wanted } }
            }
        }
    }
}
