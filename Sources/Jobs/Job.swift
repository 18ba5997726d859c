import AppSupport
import FoundationEssentials
import Postgres

/// One job as stored: what `TaskRunner show` prints and `GET /api/tasks/{id}` returns.
public struct Job: Sendable, Equatable {
    public var id: Int
    public var task: String
    public var args: JSONValue
    public var queue: String
    public var priority: Int
    public var state: JobState
    public var runAt: Date
    public var attempts: Int
    public var maxAttempts: Int
    public var uniqueKey: String?
    public var progressCurrent: Int?
    public var progressTotal: Int?
    public var progressMessage: String?
    public var result: JSONValue?
    public var error: String?
    public var worker: String?
    public var cancelRequested: Bool
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?

    /// The columns `init(row:)` reads, for SELECT lists.
    static let columns = """
        id, task, args, queue, priority, state, run_at, attempts, max_attempts, unique_key, progress_current,
        progress_total, progress_message, result, error, worker, cancel_requested, created_at, started_at, finished_at
        """

    init(row: PostgresRow) throws {
        id = try row.decode(Int.self, "id")
        task = try row.decode(String.self, "task")
        args = try JSONValue.parse(try row.decode(String.self, "args"))
        queue = try row.decode(String.self, "queue")
        priority = try row.decode(Int.self, "priority")
        let stateText = try row.decode(String.self, "state")
        guard let state = JobState(rawValue: stateText) else {
            throw PostgresError(kind: .decoding, message: "unknown job state \(stateText)")
        }
        self.state = state
        runAt = try row.decode(Date.self, "run_at")
        attempts = try row.decode(Int.self, "attempts")
        maxAttempts = try row.decode(Int.self, "max_attempts")
        uniqueKey = try row.decode(String?.self, "unique_key")
        progressCurrent = try row.decode(Int?.self, "progress_current")
        progressTotal = try row.decode(Int?.self, "progress_total")
        progressMessage = try row.decode(String?.self, "progress_message")
        result = try row.decode(String?.self, "result").map { try JSONValue.parse($0) }
        error = try row.decode(String?.self, "error")
        worker = try row.decode(String?.self, "worker")
        cancelRequested = try row.decode(Bool.self, "cancel_requested")
        createdAt = try row.decode(Date.self, "created_at")
        startedAt = try row.decode(Date?.self, "started_at")
        finishedAt = try row.decode(Date?.self, "finished_at")
    }

    /// The contract's JSON form: `id, task, args, queue, priority, state, attempts, max_attempts,
    /// progress {current, total}, result, error, worker, created_at, started_at, finished_at`
    /// (plus `run_at`, `unique_key` and the progress message).
    public var json: JSONValue {
        var progress: [String: JSONValue] = [
            "current": progressCurrent.map { .int($0) } ?? .null, "total": progressTotal.map { .int($0) } ?? .null,
        ]
        if let progressMessage { progress["message"] = .string(progressMessage) }
        return [
            "id": .int(id), "task": .string(task), "args": args, "queue": .string(queue), "priority": .int(priority),
            "state": .string(state.rawValue), "attempts": .int(attempts), "max_attempts": .int(maxAttempts),
            "progress": .object(progress), "result": result ?? .null, "error": error.map { .string($0) } ?? .null,
            "worker": worker.map { .string($0) } ?? .null, "unique_key": uniqueKey.map { .string($0) } ?? .null,
            "run_at": .string(Timestamps.iso8601(runAt)), "created_at": .string(Timestamps.iso8601(createdAt)),
            "started_at": startedAt.map { .string(Timestamps.iso8601($0)) } ?? .null,
            "finished_at": finishedAt.map { .string(Timestamps.iso8601($0)) } ?? .null,
        ]
    }
}
