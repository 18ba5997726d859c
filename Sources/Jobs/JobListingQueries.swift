import Postgres

/// The statements behind `GET /api/tasks`: jobs newest first (by id), optionally filtered by
/// state or task, below a cursor id. One statement per filter shape, so each uses its index
/// (`jobs_state_listing_idx`, `jobs_task_listing_idx`, or the primary key) and stops after
/// `limit` rows instead of sorting the table.
enum JobListingQueries {
    static func newest(before: Int, limit: Int) -> PostgresQuery {
        "SELECT \(unsafeRaw: Job.columns) FROM jobs WHERE id < \(before) ORDER BY id DESC LIMIT \(limit)"
    }

    static func newest(state: String, before: Int, limit: Int) -> PostgresQuery {
        "SELECT \(unsafeRaw: Job.columns) FROM jobs WHERE state = \(state) AND id < \(before) ORDER BY id DESC LIMIT \(limit)"
    }

    static func newest(task: String, before: Int, limit: Int) -> PostgresQuery {
        "SELECT \(unsafeRaw: Job.columns) FROM jobs WHERE task = \(task) AND id < \(before) ORDER BY id DESC LIMIT \(limit)"
    }

    static func newest(state: String, task: String, before: Int, limit: Int) -> PostgresQuery {
        """
        SELECT \(unsafeRaw: Job.columns) FROM jobs
        WHERE state = \(state) AND task = \(task) AND id < \(before) ORDER BY id DESC LIMIT \(limit)
        """
    }
}
