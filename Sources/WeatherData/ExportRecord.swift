import AppSupport
import FoundationEssentials

/// One `export_weather_data` run as recorded in `weather_exports`.
public struct ExportRecord: Sendable, Equatable {
    /// Whether the run is going on, wrote its file, or failed.
    public enum State: String, Sendable {
        case running, succeeded, failed
    }

    public var id: Int
    /// The job that ran it, if any.
    public var jobID: Int?
    public var format: ExportFormat
    public var filter: ExportFilter
    /// The file's bare name inside `EXPORT_DIR` (never a path), once written.
    public var fileName: String?
    public var state: State
    /// Rows written.
    public var rowCount: Int?
    /// The file's size in bytes.
    public var byteCount: Int?
    /// SHA-256 of the file's bytes, 64 lowercase hex digits (as `sha256sum` prints).
    public var sha256: String?
    /// Why it failed.
    public var error: String?
    public var createdAt: Date
    public var finishedAt: Date?

    /// The JSON form (snake_case).
    public var json: JSONValue {
        [
            "id": .int(id), "job_id": jobID.map { .int($0) } ?? .null, "format": .string(format.rawValue),
            "city": filter.city.map { .string($0) } ?? .null,
            "from": filter.from.map { .string(Timestamps.iso8601($0)) } ?? .null,
            "to": filter.to.map { .string(Timestamps.iso8601($0)) } ?? .null,
            "file": fileName.map { .string($0) } ?? .null, "state": .string(state.rawValue),
            "rows": rowCount.map { .int($0) } ?? .null, "bytes": byteCount.map { .int($0) } ?? .null,
            "sha256": sha256.map { .string($0) } ?? .null, "error": error.map { .string($0) } ?? .null,
            "created_at": .string(Timestamps.iso8601(createdAt)),
            "finished_at": finishedAt.map { .string(Timestamps.iso8601($0)) } ?? .null,
        ]
    }
}
