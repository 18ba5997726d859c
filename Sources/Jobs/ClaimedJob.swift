import AppSupport
import FoundationEssentials
import Postgres

/// A job this worker holds (claimed, maybe not started yet).
struct ClaimedJob: Sendable {
    var id: Int
    var task: String
    var args: JSONValue
    var attempt: Int
    var maxAttempts: Int
    var timeoutSeconds: Int?
    var priority: Int
    var runAt: Date
    var cancelRequested: Bool

    init(row: PostgresRow) throws {
        id = try row.decode(Int.self, "id")
        task = try row.decode(String.self, "task")
        args = try JSONValue.parse(try row.decode(String.self, "args"))
        attempt = try row.decode(Int.self, "attempts")
        maxAttempts = try row.decode(Int.self, "max_attempts")
        timeoutSeconds = try row.decode(Int?.self, "timeout_seconds")
        priority = try row.decode(Int.self, "priority")
        runAt = try row.decode(Date.self, "run_at")
        cancelRequested = try row.decode(Bool.self, "cancel_requested")
    }

    /// Queue order: priority (higher first), then run time, then id.
    static func before(_ a: ClaimedJob, _ b: ClaimedJob) -> Bool {
        if a.priority != b.priority { return a.priority > b.priority }
        if a.runAt != b.runAt { return a.runAt < b.runAt }
        return a.id < b.id
    }
}
