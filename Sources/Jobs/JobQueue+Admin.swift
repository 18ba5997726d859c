import FoundationEssentials
import Postgres

extension JobQueue {
    /// Which jobs a listing shows; nil fields do not filter.
    public struct JobFilter: Sendable, Equatable {
        public var state: JobState?
        public var task: String?
        /// Created at or after.
        public var from: Date?
        /// Created before.
        public var to: Date?

        /// A filter.
        public init(state: JobState? = nil, task: String? = nil, from: Date? = nil, to: Date? = nil) {
            self.state = state
            self.task = task
            self.from = from
            self.to = to
        }
    }

    /// Up to `limit` jobs matching `filter`, newest first (by id), with ids below `before`.
    public func list(_ filter: JobFilter, before: Int?, limit: Int, on connection: PostgresConnection) throws -> [Job] {
        if filter.from == nil && filter.to == nil {
            return try list(state: filter.state, task: filter.task, before: before, limit: limit, on: connection)
        }
        return try connection.query(
            AdminJobQueries.newest(
                state: filter.state?.rawValue, task: filter.task, from: filter.from, to: filter.to, before: before ?? Int.max,
                limit: max(1, limit))
        ).map(Job.init(row:))
    }

    /// What the admin dashboard shows of the queue.
    public struct Figures: Sendable {
        /// Jobs by queue and state: waiting and running now, and those that finished in the last hour.
        public var counts: [(queue: String, state: JobState, jobs: Int)]
        /// True when a count reached `AdminJobQueries.figureCap` (the counts are lower bounds).
        public var capped: Bool
        /// Daemons that heartbeat in the last 30 seconds.
        public var liveWorkers: Int
        /// Jobs that succeeded and failed in each of the last 60 minutes (index 0: this minute).
        public var succeededPerMinute: [Int]
        public var failedPerMinute: [Int]
    }

    /// The dashboard's figures, in two statements of bounded cost.
    public func figures(on connection: PostgresConnection) throws -> Figures {
        var figures = Figures(
            counts: [], capped: false, liveWorkers: 0, succeededPerMinute: Array(repeating: 0, count: 60),
            failedPerMinute: Array(repeating: 0, count: 60))
        for row in try connection.query(AdminJobQueries.figures) {
            let jobs = try row.decode(Int.self, "jobs")
            switch try row.decode(String.self, "kind") {
            case "capped": figures.capped = jobs > 0
            case "workers": figures.liveWorkers = jobs
            default:
                if let state = JobState(rawValue: try row.decode(String.self, "state")) {
                    figures.counts.append((try row.decode(String.self, "queue"), state, jobs))
                }
            }
        }
        figures.counts.sort { ($0.queue, $0.state.rawValue) < ($1.queue, $1.state.rawValue) }
        for row in try connection.query(AdminJobQueries.throughput) {
            let ago = try row.decode(Int.self, "ago")
            guard (0..<60).contains(ago) else { continue }
            let jobs = try row.decode(Int.self, "jobs")
            switch try row.decode(String.self, "state") {
            case "succeeded": figures.succeededPerMinute[ago] += jobs
            case "failed": figures.failedPerMinute[ago] += jobs
            default: break
            }
        }
        return figures
    }

    /// What `retry` did.
    public enum RetryOutcome: Sendable, Equatable {
        /// A copy of the job was enqueued: the new job.
        case enqueued(Job)
        /// The job has not failed and was not cancelled (only those are retried).
        case notRetryable(JobState)
        /// The job's task is not registered in this process.
        case unknownTask(String)
        /// No such job.
        case notFound
    }

    /// Retries a failed or cancelled job by enqueueing a copy (same task, args, queue, priority,
    /// attempts and time limit): the original keeps its history.
    public func retry(_ id: Int, on connection: PostgresConnection) throws -> RetryOutcome {
        guard let original = try job(id, on: connection) else { return .notFound }
        guard original.state == .failed || original.state == .cancelled else { return .notRetryable(original.state) }
        guard registry[original.task] != nil else { return .unknownTask(original.task) }
        guard let row = try connection.query(AdminJobQueries.retryCopy(id)).first else {
            // Changed in between (it cannot leave a final state, but it may have been purged).
            return try job(id, on: connection).map { .notRetryable($0.state) } ?? .notFound
        }
        return .enqueued(try Job(row: row))
    }
}
