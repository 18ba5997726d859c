import Postgres

extension JobQueue {
    /// The channel on which the queue announces jobs that reached a final state; the payload is
    /// their ids, comma-separated (for listeners outside this module, such as the API's waiter).
    public static let finishedJobsChannel = JobQueries.doneChannel

    /// Up to `limit` jobs, newest first (by id), with ids below `before` when given, filtered by
    /// `state` and `task` when given.
    public func list(state: JobState? = nil, task: String? = nil, before: Int? = nil, limit: Int, on connection: PostgresConnection) throws -> [Job] {
        let cursor = before ?? Int.max
        let query: PostgresQuery
        switch (state, task) {
        case (nil, nil): query = JobListingQueries.newest(before: cursor, limit: limit)
        case (let state?, nil): query = JobListingQueries.newest(state: state.rawValue, before: cursor, limit: limit)
        case (nil, let task?): query = JobListingQueries.newest(task: task, before: cursor, limit: limit)
        case (let state?, let task?): query = JobListingQueries.newest(state: state.rawValue, task: task, before: cursor, limit: limit)
        }
        return try connection.query(query).map(Job.init(row:))
    }
}
