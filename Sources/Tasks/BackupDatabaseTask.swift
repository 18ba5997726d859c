import AppSupport
import FoundationEssentials
import Jobs
import Postgres
#if canImport(Glibc)
import Glibc
#endif

/// `backup_database`: `pg_dump --format=custom` of the database into `BACKUP_DIR` as
/// `weather-YYYYMMDDTHHMMSSZ.dump` (UTC), then rotation: only the newest `keep` files of that
/// pattern stay. Not scheduled unless configured.
///
/// The dump is written to a hidden temporary file (mode 0600: it holds every row, password
/// hashes included), synced, then linked to its final name (never replacing a file) and the
/// folder synced, so a backup file is always complete. A cancel or timeout stops pg_dump and
/// removes the temporary file. The password never appears on pg_dump's command line (where any
/// local user could read it): it goes through `PGPASSWORD`, and the rest of `DATABASE_URL`
/// through `--dbname`.
///
/// Args: `keep` (1 to 1000; default `BACKUP_KEEP`, else 7). Environment: `BACKUP_DIR` (required;
/// created with mode 0700 when missing), `BACKUP_KEEP`, `DATABASE_URL`, `PG_DUMP` (the pg_dump to
/// run; default the newest `/usr/lib/postgresql/N/bin/pg_dump`, else `pg_dump` on `PATH`).
public enum BackupDatabaseTask {
    /// The registered name.
    public static let name = "backup_database"
    /// Backups kept when neither `keep` nor `BACKUP_KEEP` says.
    public static let defaultKeep = 7
    /// The accepted number of backups to keep.
    public static let keepRange = 1...1000

    /// The task, configured from `environment` when it runs (a missing or bad setting then fails
    /// the run permanently, naming the variable).
    public static func definition(environment: Environment) -> TaskDefinition {
        TaskDefinition(
            name: name, summary: "pg_dump the database (custom format) into BACKUP_DIR and keep the newest N dumps.",
            maxAttempts: 2, timeoutSeconds: 3600, run: { context in try run(context, environment: environment) })
    }

    /// A failure worth another attempt (pg_dump failed: the server may be back later).
    struct BackupFailed: Error, CustomStringConvertible {
        let description: String
    }

    static func run(_ context: JobContext, environment: Environment) throws -> JSONValue {
        let args = try TaskArguments(context.args, allowed: ["keep"])
        let settings = try Settings(environment: environment, keep: try args.integer("keep", range: keepRange))
        let started = ContinuousClock.now
        try makeDirectory(settings.directory)
        context.progress(0, of: 2, "dumping with \(settings.pgDump)")

        let name = fileName(for: Date())
        let finalPath = settings.directory + "/" + name
        let temporaryPath = settings.directory + "/.\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).partial"
        let fd = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw PermanentFailure("cannot create a file in BACKUP_DIR \(settings.directory): \(errorText())") }
        defer {
            close(fd)
            unlink(temporaryPath)
        }

        let command = CancellableCommand(
            executable: settings.pgDump,
            arguments: ["--format=custom", "--no-password", "--lock-wait-timeout=60000", "--dbname=" + settings.conninfo],
            environment: settings.childEnvironment)
        let token = context.token
        let outcome = try command.run(standardOutput: fd, isCancelled: { token.stopReason != .none })
        if outcome.stopped { try context.checkpoint() }
        guard outcome.status == 0 else {
            let message = settings.redacted(outcome.standardError.split(separator: "\n").suffix(5).joined(separator: " | "))
            throw BackupFailed(description: "pg_dump failed with status \(outcome.status): \(message.isEmpty ? "no message" : message)")
        }
        guard fsync(fd) == 0 else { throw BackupFailed(description: "cannot sync the backup file: \(errorText())") }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw BackupFailed(description: "cannot stat the backup file: \(errorText())") }
        guard link(temporaryPath, finalPath) == 0 else {
            if errno == EEXIST { throw BackupFailed(description: "\(name) already exists (another backup this second?)") }
            throw BackupFailed(description: "cannot name the backup \(name): \(errorText())")
        }
        syncDirectory(settings.directory)
        context.progress(1, of: 2, "wrote \(name), rotating")

        let removed = try rotate(settings.directory, keep: settings.keep, protecting: name)
        context.progress(2, of: 2, "wrote \(name); removed \(removed.count) old backups")
        return [
            "file": .string(name), "path": .string(finalPath), "bytes": .int(Int(info.st_size)),
            "duration_ms": .int(Int((started.duration(to: .now) / .milliseconds(1)).rounded())),
            "keep": .int(settings.keep), "removed": .array(removed.map { .string($0) }), "pg_dump": .string(settings.pgDump),
        ]
    }

    /// What a run needs from the environment.
    struct Settings {
        var directory: String
        var keep: Int
        var conninfo: String
        var password: String?
        var pgDump: String
        var childEnvironment: [String: String]

        init(environment: Environment, keep keepArgument: Int?) throws {
            do {
                var folder = try environment.required("BACKUP_DIR", hint: "the folder backups are written to")
                while folder.count > 1, folder.hasSuffix("/") { folder.removeLast() }
                directory = folder
                keep = try keepArgument ?? environment.integer("BACKUP_KEEP", default: defaultKeep, range: keepRange)
                let url = try environment.required("DATABASE_URL", hint: "the database to back up")
                do {
                    (conninfo, password) = try ConnectionPassword.split(url)
                } catch {
                    throw ConfigurationError(variable: "DATABASE_URL", problem: "cannot be parsed: \(error)")
                }
                pgDump = try locatePgDump(environment)
            } catch let error as ConfigurationError {
                throw PermanentFailure(error.description)
            }
            // Only what pg_dump and libpq use: not the service's other secrets.
            var child = environment.values.filter { key, _ in
                key.hasPrefix("PG") || ["PATH", "HOME", "LANG", "LC_ALL", "LC_MESSAGES", "TZ", "TMPDIR"].contains(key)
            }
            child["PG_DUMP"] = nil
            if let password { child["PGPASSWORD"] = password }
            childEnvironment = child
        }

        /// `text` without the password.
        func redacted(_ text: String) -> String {
            guard let password, !password.isEmpty else { return text }
            return text.replacing(password, with: "***")
        }
    }

    /// `PG_DUMP` if set, else the newest `/usr/lib/postgresql/N/bin/pg_dump` (a newer pg_dump
    /// dumps older servers, never the reverse), else `pg_dump` on `PATH`.
    static func locatePgDump(_ environment: Environment) throws -> String {
        if let path = environment.string("PG_DUMP") {
            guard access(path, X_OK) == 0 else {
                throw ConfigurationError(variable: "PG_DUMP", problem: "is not an executable file: \(path)")
            }
            return path
        }
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap { Int($0) }.sorted(by: >)
        for version in versions where access("\(root)/\(version)/bin/pg_dump", X_OK) == 0 {
            return "\(root)/\(version)/bin/pg_dump"
        }
        for folder in (environment.string("PATH") ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") where !folder.isEmpty {
            if access("\(folder)/pg_dump", X_OK) == 0 { return "\(folder)/pg_dump" }
        }
        throw ConfigurationError(
            variable: "PG_DUMP", problem: "is not set and no pg_dump was found (install the PostgreSQL client: apt-get install postgresql-client)")
    }

    /// `weather-YYYYMMDDTHHMMSSZ.dump` for `date` in UTC.
    static func fileName(for date: Date) -> String {
        let day = CalendarDay(utc: date)
        let seconds = Int(date.timeIntervalSince1970.rounded(.down)) % 86_400
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let stamp = "\(day.description.replacing("-", with: ""))T\(two(seconds / 3600))\(two(seconds / 60 % 60))\(two(seconds % 60))Z"
        return "weather-\(stamp).dump"
    }

    /// True for names `fileName(for:)` makes.
    static func isBackupName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard bytes.count == 29, name.hasPrefix("weather-"), name.hasSuffix(".dump") else { return false }
        let digits = Array(8..<16) + Array(17..<23)
        return digits.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[$0]) }
            && bytes[16] == UInt8(ascii: "T") && bytes[23] == UInt8(ascii: "Z")
    }

    /// Removes the oldest backups beyond `keep` (by the time in their names; only regular files
    /// named like a backup; never `protecting`), and temporary files of crashed runs older than a
    /// day. Returns the backups removed, oldest first.
    static func rotate(_ directory: String, keep: Int, protecting current: String) throws -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw BackupFailed(description: "cannot list BACKUP_DIR \(directory): \(error)")
        }
        var backups: [String] = []
        for name in names {
            var info = stat()
            guard lstat(directory + "/" + name, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            if isBackupName(name) {
                backups.append(name)
            } else if name.hasPrefix(".weather-"), name.hasSuffix(".partial"), time(nil) - info.st_mtim.tv_sec > 86_400 {
                unlink(directory + "/" + name)
            }
        }
        let doomed = backups.sorted().dropLast(keep).filter { $0 != current }
        var removed: [String] = []
        for name in doomed where unlink(directory + "/" + name) == 0 {
            removed.append(name)
        }
        if !removed.isEmpty { syncDirectory(directory) }
        return removed
    }

    static func makeDirectory(_ path: String) throws {
        var info = stat()
        if stat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else { throw PermanentFailure("BACKUP_DIR \(path) is not a folder") }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw PermanentFailure("cannot create BACKUP_DIR \(path): \(error)")
        }
    }

    static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    static func errorText() -> String {
        String(cString: strerror(errno))
    }
}
