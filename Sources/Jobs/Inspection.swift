import AppSupport
import FoundationEssentials
import Postgres

/// What `TaskRunner inspect` shows: running jobs, workers, and counts by queue and state.
public struct Inspection {
    let connection: PostgresConnection

    /// An inspector on `connection`.
    public init(connection: PostgresConnection) throws {
        self.connection = connection
    }

    /// Rows with named columns, printable as text or JSON.
    public struct Table {
        public var columns: [String]
        public var rows: [[JSONValue]]

        /// A table of `rows`, each with one value per column.
        public init(columns: [String], rows: [[JSONValue]]) {
            self.columns = columns
            self.rows = rows
        }

        /// An array of objects.
        public var json: JSONValue {
            .array(rows.map { row in .object(Dictionary(uniqueKeysWithValues: zip(columns, row))) })
        }

        /// Aligned columns with a header.
        public var text: String {
            func cell(_ value: JSONValue) -> String {
                switch value {
                case .null: return "-"
                case .string(let text): return text
                default: return value.serialized
                }
            }
            let cells = [columns] + rows.map { $0.map(cell) }
            let widths = columns.indices.map { index in cells.map { $0[index].count }.max() ?? 0 }
            return cells.map { line in
                zip(line, widths).map { text, width in text + String(repeating: " ", count: max(0, width - text.count)) }
                    .joined(separator: "  ").trimmingTrailingSpaces()
            }.joined(separator: "\n")
        }
    }

    /// Running jobs and where they run.
    public func active() throws -> Table {
        let rows = try connection.query(JobQueries.active).map { row -> [JSONValue] in
            let current = try row.decode(Int?.self, "progress_current")
            let total = try row.decode(Int?.self, "progress_total")
            return [
                .int(try row.decode(Int.self, "id")), .string(try row.decode(String.self, "task")), .string(try row.decode(String.self, "queue")),
                try row.decode(String?.self, "worker").map { .string($0) } ?? .null, .int(try row.decode(Int.self, "attempts")),
                try row.decode(Date?.self, "started_at").map { .string(Timestamps.iso8601($0)) } ?? .null,
                current.map { c in .string("\(c)/\(total.map(String.init) ?? "?")") } ?? .null,
            ]
        }
        return Table(columns: ["id", "task", "queue", "worker", "attempt", "started_at", "progress"], rows: rows)
    }

    /// Workers seen in the last hour, with their state.
    public func workers() throws -> Table {
        let rows = try connection.query(JobQueries.workers).map { row -> [JSONValue] in
            let stopped = try row.decode(Date?.self, "stopped_at")
            return [
                .string(try row.decode(String.self, "id")), .string(try row.decode(String.self, "host")), .int(try row.decode(Int.self, "pid")),
                .string(try row.decode(String.self, "queues")), .int(try row.decode(Int.self, "concurrency")),
                .int(try row.decode(Int.self, "running")),
                .string(Timestamps.iso8601(try row.decode(Date.self, "started_at"))),
                .string(Timestamps.iso8601(try row.decode(Date.self, "last_heartbeat_at"))),
                .string(stopped == nil ? "running" : "stopped"),
            ]
        }
        return Table(columns: ["id", "host", "pid", "queues", "concurrency", "running", "started_at", "last_heartbeat_at", "status"], rows: rows)
    }

    /// Jobs by queue and state.
    public func queues() throws -> Table {
        let rows = try connection.query(JobQueries.queueCounts).map { row -> [JSONValue] in
            [.string(try row.decode(String.self, "queue")), .string(try row.decode(String.self, "state")), .int(try row.decode(Int.self, "jobs"))]
        }
        return Table(columns: ["queue", "state", "jobs"], rows: rows)
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var view = Substring(self)
        while view.last == " " { view = view.dropLast() }
        return String(view)
    }
}
