import AppSupport
import Jobs
import Postgres
import Tasks
import TestSupport

/// Helpers shared by the queue tests. Each test uses a queue of its own, so tests running at
/// once on the shared database never see each other's jobs.
enum Fixture {
    static let queue = JobQueue(registry: TaskCatalog.registry)

    static func uniqueQueue(_ label: String) -> String {
        "\(label)-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// Jobs of `queue` counted by state.
    static func counts(_ queue: String, on db: PostgresConnection) throws -> [String: Int] {
        var out: [String: Int] = [:]
        for row in try db.query("SELECT state, count(*)::int AS n FROM jobs WHERE queue = \(queue) GROUP BY state") {
            out[try row.decode(String.self, "state")] = try row.decode(Int.self, "n")
        }
        return out
    }

    static func enqueue(_ db: PostgresConnection, _ queueName: String, args: JSONValue = [:], priority: Int = 0, delayMs: Int = 0,
                        maxAttempts: Int? = nil, timeout: Int? = nil, uniqueKey: String? = nil) throws -> Int {
        try queue.enqueue(
            EnqueueRequest(task: "test_task", args: args, queue: queueName, priority: priority, delayMilliseconds: delayMs,
                           maxAttempts: maxAttempts, timeoutSeconds: timeout, uniqueKey: uniqueKey), on: db).id
    }

    /// Daemon arguments for a test: fast polling, heartbeats and retries.
    static func daemonArguments(_ queueName: String, concurrency: Int = 4, extra: [String] = []) -> [String] {
        ["--queues", queueName, "--concurrency", String(concurrency), "--poll-interval", "0.2", "--heartbeat-interval", "0.5",
         "--retry-base", "0.05", "--grace", "5"] + extra
    }
}
