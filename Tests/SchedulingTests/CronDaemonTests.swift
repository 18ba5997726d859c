import Foundation
import Postgres
import Testing
import TestSupport

/// The real thing: Debian's cron daemon runs an every-minute entry that `schedule install`
/// wrote into root's crontab, and the run shows up in the schedules table.
@Suite("Cron daemon")
struct CronDaemonTests {
    static var canRun: Bool { getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/cron") }

    @Test("an every-minute entry installed by schedule install is run by cron and recorded", .enabled(if: canRun))
    func cronRunsInstalledEntry() async throws {
        let url = try await TestDatabase.fresh()
        let directory = try Repository.temporaryDirectory("cron")
        let envFile = directory + "/env"
        let quoted = "'" + url.replacingOccurrences(of: "'", with: "'\\''") + "'"
        try "DATABASE_URL=\(quoted)\nLOG_LEVEL=info\n".write(toFile: envFile, atomically: true, encoding: .utf8)
        let block = "weather-test-\(getpid())"
        try await onThread {
            #expect(try taskRunner(["migrate"], databaseURL: url).status == 0)
            // Only the probe: pause the built-in schedules so the test database stays quiet.
            let connection = try PostgresConnection(conninfo: url)
            try connection.execute("UPDATE schedules SET paused = true")
            let add = try taskRunner(
                ["schedule", "add", "cron-probe", "--cron", "* * * * *", "--task", "test_task", "--args", #"{"message": "from cron"}"#],
                databaseURL: url)
            #expect(add.status == 0, "\(add.stderr)")
            let install = try taskRunner(["schedule", "install", "--env-file", envFile, "--name", block], databaseURL: url)
            #expect(install.status == 0, "\(install.stderr)")
            #expect(install.stdout.contains("installed 8 schedules"))
            let again = try taskRunner(["schedule", "install", "--env-file", envFile, "--name", block], databaseURL: url)
            #expect(again.stdout.contains("already up to date"), "\(again.stdout)")
        }
        defer { _ = try? taskRunner(["schedule", "uninstall", "--name", block], databaseURL: url) }
        let startedCron = try await onThread { try CronDaemonTests.ensureCronRunning() }
        defer { if let startedCron { kill(startedCron, SIGTERM) } }
        try await onThread {
            let connection = try PostgresConnection(conninfo: url)
            try eventually("cron to run the probe (up to two minutes)", seconds: 150) {
                let rows = try connection.query(
                    "SELECT count(*)::int AS n FROM schedule_runs r JOIN jobs j ON j.id = r.job_id WHERE r.schedule = 'cron-probe' AND r.state = 'succeeded' AND j.result->>'message' = 'from cron'"
                )
                return try rows.first?.decode(Int.self, "n") ?? 0 >= 1
            }
            let schedule = try connection.query("SELECT runs FROM schedules WHERE name = 'cron-probe'")
            #expect(try schedule.first?.decode(Int.self, "runs") ?? 0 >= 1)
        }
    }

    /// Starts Debian's cron unless one runs already; returns the pid it started.
    static func ensureCronRunning() throws -> pid_t? {
        let running = try runCommand("/usr/bin/pgrep", ["-x", "cron"])
        if running.status == 0 { return nil }
        let started = try runCommand("/usr/sbin/cron", ["-L", "15"])
        guard started.status == 0 else { throw HarnessError("cron did not start: \(started.stderr)") }
        let pid = try runCommand("/usr/bin/pgrep", ["-x", "cron"])
        return pid_t(pid.stdout.split(separator: "\n").first.map(String.init) ?? "")
    }
}
