import FoundationEssentials
import Postgres

/// The `weather_exports` records.
public enum ExportStore {
    /// A started export: its id, start time, and the period's bounds as exact Postgres text.
    public struct Started: Sendable, Equatable {
        public var id: Int
        public var createdAt: Date
        /// Searches made at or after this (`-infinity` when unbounded).
        public var lowerBound: String
        /// Searches made before this: the filter's `to`, or the export's start when earlier.
        public var upperBound: String
    }

    /// Records a running export (committed at once, so a crash leaves a trace).
    public static func begin(jobID: Int?, format: ExportFormat, filter: ExportFilter, on connection: PostgresConnection) throws -> Started {
        guard let row = try connection.query(ExportQueries.insert(jobID: jobID, format: format, filter: filter)).first else {
            throw PostgresError(kind: .usage, message: "the export row was not returned")
        }
        return Started(
            id: try row.decode(Int.self, "id"), createdAt: try row.decode(Date.self, "created_at"),
            lowerBound: try row.decode(String.self, "lower_bound"), upperBound: try row.decode(String.self, "upper_bound"))
    }

    /// Records a written export.
    public static func succeeded(id: Int, fileName: String, rows: Int, bytes: Int, sha256: String, on connection: PostgresConnection) throws {
        try connection.execute(ExportQueries.succeeded(id: id, fileName: fileName, rows: rows, bytes: bytes, sha256: sha256))
    }

    /// Records a failed export (a running one only).
    public static func failed(id: Int, error: String, on connection: PostgresConnection) throws {
        try connection.execute(ExportQueries.failed(id: id, error: error))
    }

    /// One export, if it exists.
    public static func record(_ id: Int, on connection: PostgresConnection) throws -> ExportRecord? {
        try connection.query(ExportQueries.byID(id)).first.map(ExportRecord.init(row:))
    }

    /// The latest exports, newest first.
    public static func recent(limit: Int, on connection: PostgresConnection) throws -> [ExportRecord] {
        try connection.query(ExportQueries.recent(limit: limit)).map(ExportRecord.init(row:))
    }

    /// How many searches of `city` (or all) lie in [`lower`, `upper`).
    public static func count(city: String?, lower: String, upper: String, on connection: PostgresConnection) throws -> Int {
        try connection.query(ExportQueries.count(city: city, lower: lower, upper: upper)).first?.decode(Int.self, "n") ?? 0
    }
}

extension ExportRecord {
    /// Reads a row selected with `ExportQueries.recordColumns`.
    init(row: PostgresRow) throws {
        let formatText = try row.decode(String.self, "format")
        let stateText = try row.decode(String.self, "state")
        guard let format = ExportFormat(rawValue: formatText), let state = State(rawValue: stateText) else {
            throw PostgresError(kind: .decoding, message: "unknown export format \(formatText) or state \(stateText)")
        }
        self.init(
            id: try row.decode(Int.self, "id"), jobID: try row.decode(Int?.self, "job_id"), format: format,
            filter: ExportFilter(
                city: try row.decode(String?.self, "city"), from: try row.decode(Date?.self, "period_from"),
                to: try row.decode(Date?.self, "period_to")),
            fileName: try row.decode(String?.self, "file_name"), state: state, rowCount: try row.decode(Int?.self, "row_count"),
            byteCount: try row.decode(Int?.self, "byte_count"), sha256: try row.decode(String?.self, "sha256"),
            error: try row.decode(String?.self, "error"), createdAt: try row.decode(Date.self, "created_at"),
            finishedAt: try row.decode(Date?.self, "finished_at"))
    }
}
