import FoundationEssentials
import Postgres

/// Deletes old searches in batches, each in its own short transaction.
public enum SearchCleanup {
    /// Where a batch stopped: the (`searched_at`, `id`) of its last row, the time as Postgres's
    /// exact text.
    public struct Position: Sendable, Equatable {
        public var searchedAt: String
        public var id: Int

        /// Before every row.
        public static let start = Position(searchedAt: "-infinity", id: 0)

        /// Creates a position.
        public init(searchedAt: String, id: Int) {
            self.searchedAt = searchedAt
            self.id = id
        }
    }

    /// One batch's outcome.
    public struct Batch: Sendable, Equatable {
        /// Rows deleted.
        public var deleted: Int
        /// Where the batch stopped (the next one starts after it).
        public var position: Position
    }

    /// The time `days` days before the database's clock.
    public static func cutoff(days: Int, on connection: PostgresConnection) throws -> Date {
        guard let row = try connection.query(CleanupQueries.cutoff(days: days)).first else {
            throw PostgresError(kind: .usage, message: "no cutoff row")
        }
        return try row.decode(Date.self, "cutoff")
    }

    /// How many searches were made before `cutoff`.
    public static func countOlder(than cutoff: Date, on connection: PostgresConnection) throws -> Int {
        try connection.query(CleanupQueries.countOlder(than: cutoff)).first?.decode(Int.self, "n") ?? 0
    }

    /// Deletes up to `limit` searches made before `cutoff` that come after `position` (oldest
    /// first), in one transaction of its own; nil when none is left after `position`.
    public static func deleteBatch(before cutoff: Date, after position: Position, limit: Int, on connection: PostgresConnection) throws -> Batch? {
        guard
            let row = try connection.query(
                CleanupQueries.deleteBatch(before: cutoff, afterAt: position.searchedAt, afterID: position.id, limit: limit)
            ).first
        else { return nil }
        return Batch(
            deleted: try row.decode(Int.self, "deleted"),
            position: Position(searchedAt: try row.decode(String.self, "last_at"), id: try row.decode(Int.self, "last_id")))
    }
}
