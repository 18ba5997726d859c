import Postgres

extension JobQueue {
    /// Enqueues one job like `enqueue`, and returns the job itself: the new row in the same
    /// statement, or the unfinished job holding the unique key (`created` false). The API's
    /// `POST /api/tasks` answers with it.
    public func enqueueJob(_ request: EnqueueRequest, on connection: PostgresConnection) throws -> (job: Job, created: Bool) {
        let valid = try request.validated(against: registry)
        // Inside the caller's transaction the wake-up must come with its commit: NOTIFY there.
        let wakeAfterCommit = wakeups != nil && !connection.inTransaction
        for _ in 0..<5 {
            if let row = try connection.query(JobQueries.insertOneReturningJob(valid, notify: !wakeAfterCommit)).first {
                let job = try Job(row: row)
                if wakeAfterCommit, try row.decode(Bool.self, "runnable") { wakeups?.jobsWaiting() }
                return (job, true)
            }
            // The key is taken: return the holder, unless it finished in between (then try again).
            if let key = valid.uniqueKey, let holder = try connection.query(JobQueries.activeByUniqueKey(key)).first {
                return (try Job(row: holder), false)
            }
        }
        throw PostgresError(kind: .usage, message: "unique key \(valid.uniqueKey ?? "") kept changing hands; try again")
    }
}
