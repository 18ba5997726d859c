import ArgumentParser
import Storage

/// `TaskRunner migrate`: applies pending migrations; safe to run twice or concurrently.
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending database migrations (safe to run twice, or on several hosts at once)."
    )

    func run() throws {
        try reportingFailures {
            let environment = try CommandEnvironment(label: "migrate")
            let connection = try environment.connect(applicationName: "taskrunner-migrate")
            let applied = try Migrator(connection: connection, logger: environment.logger).migrate()
            let version = try Migrator(connection: connection).currentVersion()
            if applied.isEmpty {
                print("database is up to date (version \(version))")
            } else {
                print("applied \(applied.count) migration\(applied.count == 1 ? "" : "s"); database is at version \(version)")
            }
        }
    }
}
