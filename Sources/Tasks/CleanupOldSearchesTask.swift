import AppSupport
import FoundationEssentials
import Jobs
import Postgres
import WeatherData

/// `cleanup_old_searches`: deletes the searches made more than `days` days ago (default 30), in
/// batches of `defaultBatchSize`, each its own short transaction (row locks on old rows only,
/// so inserts of new searches never wait), oldest first, with progress and a checkpoint after
/// every batch. Rows another transaction holds are skipped, then tried once more at the end.
///
/// Result: `{deleted, days, cutoff, batches, duration_ms}`.
public enum CleanupOldSearchesTask {
    /// The registered name.
    public static let name = "cleanup_old_searches"
    /// Age in days, unless `days` says otherwise.
    public static let defaultDays = 30
    /// Searches deleted per transaction. Measured on 600,000 old rows of 2,000,000: batches of
    /// 1,000 to 50,000 all deleted at the same rate (within 5 %, about 1.3x one plain DELETE's
    /// time in the server); 5,000 keeps each transaction near 20 ms.
    public static let defaultBatchSize = 5000

    /// The task's registration.
    public static let definition = TaskDefinition(
        name: name, summary: "Delete searches older than `days` (default 30) in short batches; report how many went.",
        maxAttempts: 3, timeoutSeconds: 3600, run: { context in try run(context) })

    /// Runs the cleanup with `batchSize` rows per transaction (tests use small batches).
    public static func run(_ context: JobContext, batchSize: Int = defaultBatchSize) throws -> JSONValue {
        let started = ContinuousClock.now
        let args = try TaskArguments(context.args, allowed: ["days"])
        let days = try args.integer("days", range: 1...36_500) ?? defaultDays
        let database = try context.database()
        let cutoff = try SearchCleanup.cutoff(days: days, on: database)
        let total = try SearchCleanup.countOlder(than: cutoff, on: database)
        context.progress(0, of: total, "\(total) searches older than \(days) days")
        var deleted = 0
        var batches = 0
        // First pass: on from where each batch stopped. Second: from the start again, for rows
        // that were locked (skipped) the first time; it ends at once when there are none.
        for pass in 1...2 {
            if pass == 2 && deleted >= total { break }
            var position = SearchCleanup.Position.start
            while true {
                try context.checkpoint()
                guard let batch = try SearchCleanup.deleteBatch(before: cutoff, after: position, limit: batchSize, on: database) else {
                    break
                }
                deleted += batch.deleted
                batches += 1
                position = batch.position
                context.progress(deleted, of: max(total, deleted), "deleted \(deleted) of \(total) searches")
            }
        }
        return [
            "deleted": .int(deleted), "days": .int(days), "cutoff": .string(Timestamps.iso8601(cutoff)), "batches": .int(batches),
            "duration_ms": .int(Int((started.duration(to: .now) / .milliseconds(1)).rounded())),
        ]
    }
}
