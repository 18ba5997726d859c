import ArgumentParser
import Scheduling
import Storage
import Tasks

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
            // The schedules table mirrors the built-in schedules (crontab/): new or changed ones are written.
            let changed = try ScheduleStore(registry: TaskCatalog.registry).sync(on: connection)
            if applied.isEmpty {
                print("database is up to date (version \(version))")
            } else {
                print("applied \(applied.count) migration\(applied.count == 1 ? "" : "s"); database is at version \(version)")
            }
            if changed > 0 { print("wrote \(changed) schedule\(changed == 1 ? "" : "s") into the schedules table") }
        }
    }
}
