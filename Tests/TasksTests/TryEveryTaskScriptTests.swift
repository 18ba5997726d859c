import Foundation
import Postgres
import Testing
import TestSupport

/// `scripts/try-every-task` (the seed's test-advanced-tasks.sh) against a live database, a daemon
/// and the fake provider: every task runs once and the table says so.
@Suite("scripts/try-every-task")
struct TryEveryTaskScriptTests {
    @Test("every task succeeds, and the table names each one")
    func everyTaskOnce() async throws {
        let url = try await TestDatabase.fresh()
        let exportDir = try Repository.temporaryDirectory("every-export")
        let backupDir = try Repository.temporaryDirectory("every-backup")
        let base = try await onThread { try FakeOpenWeatherServer.shared().baseURL }
        let migrate = try await onThread { try taskRunner(["migrate"], databaseURL: url) }
        #expect(migrate.status == 0, "\(migrate.stderr)")
        let daemon = try await onThread { try DaemonProcess(databaseURL: url, arguments: ["--queues", "default", "--concurrency", "2"]) }
        defer { _ = daemon.stop() }
        let env = environment(with: [
            "DATABASE_URL": url, "WEATHER_ENV_FILE": nil, "OPENWEATHER_BASE_URL": base, "OPENWEATHER_API_KEY": "test-key",
            "EXPORT_DIR": exportDir, "BACKUP_DIR": backupDir, "HEALTH_MIN_FREE_MB": "1", "LOG_LEVEL": "warning",
            "PATH": Repository.binDirectory + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
        ])
        let result = try await onThread { try runCommand(Repository.root + "/scripts/try-every-task", [], environment: env) }
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("TASK") == true)
        for task in [
            "test_task", "async_weather_processing", "cleanup_old_searches", "generate_weather_statistics", "bulk_weather_update",
            "send_weather_alerts", "database_maintenance", "export_weather_data", "health_check", "backup_database",
        ] {
            let line = lines.first { $0.hasPrefix(task + " ") }
            #expect(line?.contains("succeeded") == true, "\(task): \(line ?? "missing")\n\(result.stdout)")
        }
        let exported = try FileManager.default.contentsOfDirectory(atPath: exportDir).filter { $0.hasSuffix(".csv") }
        #expect(exported.count == 1)
        let bad = try await onThread { try runCommand(Repository.root + "/scripts/try-every-task", ["--nope"], environment: env) }
        #expect(bad.status == 2)
    }
}
