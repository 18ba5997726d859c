import AppSupport
import Foundation
import Jobs
import Logging
import Postgres
import Tasks
import TestSupport

/// Helpers of the cleanup, statistics and export tests: a database of their own, searches with
/// chosen figures and times, runs through `ManualRun` or straight through a task's code.
enum DataFixture {
    /// A migrated database of its own (no other test's rows) and a connection to it.
    static func database() throws -> (url: String, connection: PostgresConnection) {
        let url = try TestDatabase.fresh()
        return (url, try PostgresConnection(conninfo: url, applicationName: "tests-data"))
    }

    /// Stores a search with the figures given, made at `at`; returns its id.
    @discardableResult
    static func insert(
        _ db: PostgresConnection, city: String, country: String = "ZZ", temperature: Double = 10, humidity: Int? = 50,
        windSpeed: Double? = 2, at: Date
    ) throws -> Int {
        try db.query(
            """
            INSERT INTO weather_searches (city, country, temperature, humidity, wind_speed, condition_main, searched_at)
            VALUES (\(city), \(country), \(temperature), \(humidity), \(windSpeed), 'Clear', \(at)) RETURNING id
            """
        ).first!.decode(Int.self, "id")
    }

    /// A UTC time written `2026-03-10 12:00:00` (or with a fraction).
    static func utc(_ text: String) -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = text.contains(".") ? "yyyy-MM-dd HH:mm:ss.SSSSSS" : "yyyy-MM-dd HH:mm:ss"
        return formatter.date(from: text)!
    }

    /// One integer from the first row of `query`.
    static func integer(_ db: PostgresConnection, _ query: PostgresQuery) throws -> Int {
        guard let row = try db.query(query).first else { throw HarnessError("no row") }
        return try row.decode(Int.self, at: 0)
    }

    /// Every task, with `EXPORT_DIR` set to `exportDirectory` (or unset).
    static func registry(exportDirectory: String?) -> TaskRegistry {
        TaskCatalog.registry(environment: Environment(exportDirectory.map { ["EXPORT_DIR": $0] } ?? [:]))
    }

    /// Runs `task` through `ManualRun` (the `TaskRunner run` path) and returns the finished job.
    static func run(_ task: String, args: JSONValue = [:], registry: TaskRegistry = TaskCatalog.registry, url: String) throws -> Job {
        let connection = try PostgresConnection(conninfo: url, applicationName: "tests-data-run")
        defer { connection.close() }
        return try ManualRun(registry: registry, databaseURL: url, logger: Logger(label: "test"))
            .run(EnqueueRequest(task: task, args: args), on: connection)
    }

    /// A context for calling a task's code directly on `connection`; `progress` sees every report
    /// and may stop the job through the token it is given.
    static func context(
        _ task: String, args: JSONValue, on connection: PostgresConnection,
        progress: @escaping (Int, Int, CancellationToken) -> Void = { _, _, _ in }
    ) -> JobContext {
        let token = CancellationToken()
        return JobContext(
            jobID: 0, task: task, args: args, attempt: 1, token: token, progress: { current, total, _ in progress(current, total, token) },
            database: { connection })
    }

    /// A new empty folder for export files.
    static func exportDirectory() throws -> String {
        let base = ProcessInfo.processInfo.environment["TEST_TMP_ROOT"] ?? NSTemporaryDirectory()
        let path = (base as NSString).appendingPathComponent("exports-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The names in `directory`, sorted (hidden ones included).
    static func files(in directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    }

    /// `sha256sum FILE`'s digest.
    static func sha256sum(_ path: String) throws -> String {
        let result = try runCommand("/usr/bin/sha256sum", [path])
        guard result.status == 0 else { throw HarnessError("sha256sum failed: \(result.stderr)") }
        return String(result.stdout.split(separator: " ").first ?? "")
    }

    /// Parses CSV strictly per RFC 4180: records end with CRLF; a field is either plain (no comma,
    /// double quote, CR or LF) or quoted, with `""` for a quote inside. Throws on anything else.
    static func parseCSV(_ data: Data) throws -> [[String]] {
        let bytes = [UInt8](data)
        var records: [[String]] = []
        var record: [String] = []
        var field: [UInt8] = []
        var index = 0
        func endField() {
            record.append(String(decoding: field, as: UTF8.self))
            field.removeAll()
        }
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\"") {
                index += 1
                while true {
                    guard index < bytes.count else { throw HarnessError("CSV: unterminated quoted field") }
                    if bytes[index] == UInt8(ascii: "\"") {
                        if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                            field.append(UInt8(ascii: "\""))
                            index += 2
                            continue
                        }
                        index += 1
                        break
                    }
                    field.append(bytes[index])
                    index += 1
                }
            } else {
                while index < bytes.count, bytes[index] != UInt8(ascii: ","), bytes[index] != 13 {
                    guard bytes[index] != 10, bytes[index] != UInt8(ascii: "\"") else {
                        throw HarnessError("CSV: a bare LF or quote in an unquoted field at byte \(index)")
                    }
                    field.append(bytes[index])
                    index += 1
                }
            }
            guard index < bytes.count else { throw HarnessError("CSV: the last record does not end with CRLF") }
            if bytes[index] == UInt8(ascii: ",") {
                endField()
                index += 1
            } else if bytes[index] == 13, index + 1 < bytes.count, bytes[index + 1] == 10 {
                endField()
                records.append(record)
                record = []
                index += 2
            } else {
                throw HarnessError("CSV: unexpected byte \(bytes[index]) after a field at byte \(index)")
            }
        }
        return records
    }
}
