import AppSupport
import FoundationEssentials
import Jobs
import Postgres
import WeatherData
#if canImport(Glibc)
import Glibc
#endif

/// `export_weather_data`: writes the stored searches into a file in `EXPORT_DIR`, as CSV or JSON
/// (formats: `ExportStream`), streamed in constant memory whatever their number, and records it
/// in `weather_exports` (rows, bytes, SHA-256).
///
/// Args: `format` (`json` or `csv`, default `json`), `city` (only that city, compared
/// case-insensitively), `from` and `to` (ISO 8601 times such as `2026-11-25T08:00:00Z`, or dates
/// `YYYY-MM-DD`; `from` inclusive, `to` exclusive, except that a plain date as `to` includes that
/// whole day, UTC). Searches made after the export started are left out.
///
/// The file is `weather-YYYYMMDDTHHMMSSZ-<export id>.<format>` (the export's start, UTC): a bare
/// name made here, never taken from the arguments, unique through the export id, and it appears
/// only once complete (written to a hidden temporary file, synced, then linked; see
/// `ExportFile`). A failure or a cancel removes the temporary file and marks the export failed.
/// `EXPORT_DIR` unset, missing, not a folder or not writable fails the run permanently, naming it.
///
/// Result: `{export_id, file, format, rows, bytes, sha256, city, from, to, duration_ms}`.
public enum ExportWeatherDataTask {
    /// The registered name.
    public static let name = "export_weather_data"
    /// Rows per COPY chunk (and per progress report): big enough that the per-chunk statements
    /// cost nothing measurable, small enough that progress moves every fraction of a second.
    public static let defaultChunkRows = 100_000

    /// The task, reading `EXPORT_DIR` from `environment` when it runs.
    public static func definition(environment: Environment) -> TaskDefinition {
        TaskDefinition(
            name: name, summary: "Export searches (all, or by city and period) as CSV or JSON into EXPORT_DIR, with rows, bytes and SHA-256.",
            maxAttempts: 3, timeoutSeconds: 3600, run: { context in try run(context, environment: environment) })
    }

    /// Runs the export with `chunkRows` rows per COPY (tests use small chunks).
    public static func run(_ context: JobContext, environment: Environment, chunkRows: Int = defaultChunkRows) throws -> JSONValue {
        let started = ContinuousClock.now
        let args = try TaskArguments(context.args, allowed: ["format", "city", "from", "to"])
        let format = try self.format(args)
        let filter = try self.filter(args)
        let directory = try exportDirectory(environment)
        let database = try context.database()
        try context.checkpoint()

        let export = try ExportStore.begin(jobID: context.jobID, format: format, filter: filter, on: database)
        let file: ExportFile
        do {
            file = try ExportFile(directory: directory, name: fileName(id: export.id, createdAt: export.createdAt, format: format))
        } catch let error as ExportFileError {
            try? ExportStore.failed(id: export.id, error: error.description, on: database)
            if error.isConfiguration { throw PermanentFailure("EXPORT_DIR: \(error)") }
            throw error
        }
        do {
            let total = try ExportStore.count(city: filter.city, lower: export.lowerBound, upper: export.upperBound, on: database)
            context.progress(0, of: total, "exporting \(total) searches as \(format.rawValue)")
            let stream = ExportStream(
                format: format, city: filter.city, lowerBound: export.lowerBound, upperBound: export.upperBound, chunkRows: chunkRows)
            let rows = try stream.run(
                on: database, checkpoint: { try context.checkpoint() },
                chunkDone: { rows in context.progress(rows, of: max(total, rows), "exported \(rows) of \(total) searches") },
                write: { try file.write($0) })
            try context.checkpoint()
            let (bytes, sha256) = try file.commit()
            try ExportStore.succeeded(id: export.id, fileName: file.name, rows: rows, bytes: bytes, sha256: sha256, on: database)
            file.recorded()
            return [
                "export_id": .int(export.id), "file": .string(file.name), "format": .string(format.rawValue), "rows": .int(rows),
                "bytes": .int(bytes), "sha256": .string(sha256), "city": filter.city.map { .string($0) } ?? .null,
                "from": filter.from.map { .string(Timestamps.iso8601($0)) } ?? .null,
                "to": filter.to.map { .string(Timestamps.iso8601($0)) } ?? .null,
                "duration_ms": .int(Int((started.duration(to: .now) / .milliseconds(1)).rounded())),
            ]
        } catch {
            file.discard()
            try? ExportStore.failed(id: export.id, error: "\(error)", on: database)
            throw error
        }
    }

    /// `weather-20261125T080000Z-42.csv`.
    static func fileName(id: Int, createdAt: Date, format: ExportFormat) -> String {
        let stamp = Timestamps.iso8601(createdAt)  // 2026-11-25T08:00:00.000Z
        let compact = stamp.prefix(19).filter { $0 != "-" && $0 != ":" }
        return "weather-\(compact)Z-\(id).\(format.fileExtension)"
    }

    static func format(_ args: TaskArguments) throws -> ExportFormat {
        guard let text = try args.string("format") else { return .json }
        guard let format = ExportFormat(rawValue: text) else { throw PermanentFailure("format must be json or csv, not \(text)") }
        return format
    }

    static func filter(_ args: TaskArguments) throws -> ExportFilter {
        let city = try args.string("city")
        if let city, city.allSatisfy(\.isWhitespace) || city.utf8.count > 200 {
            throw PermanentFailure("city must be a name of 1 to 200 bytes")
        }
        let from = try args.timestamp("from")
        var to = try args.timestamp("to")
        // A plain date as the end means up to the end of that day.
        if let text = try args.string("to"), CalendarDay(text) != nil, let day = to { to = day.addingTimeInterval(86_400) }
        if let from, let to, from >= to { throw PermanentFailure("from must be before to") }
        return ExportFilter(city: city, from: from, to: to)
    }

    /// `EXPORT_DIR`, checked: set, an existing folder, writable.
    static func exportDirectory(_ environment: Environment) throws -> String {
        guard let directory = environment.string("EXPORT_DIR") else {
            throw PermanentFailure("EXPORT_DIR is not set: set it to the folder exports are written to")
        }
        var status = stat()
        guard stat(directory, &status) == 0 else {
            throw PermanentFailure("EXPORT_DIR \(directory) cannot be used: \(String(cString: strerror(errno)))")
        }
        guard status.st_mode & S_IFMT == S_IFDIR else { throw PermanentFailure("EXPORT_DIR \(directory) is not a directory") }
        guard access(directory, W_OK | X_OK) == 0 else { throw PermanentFailure("EXPORT_DIR \(directory) is not writable") }
        return directory
    }
}
