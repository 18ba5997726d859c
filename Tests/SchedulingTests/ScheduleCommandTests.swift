import Foundation
import Postgres
import Scheduling
import Testing
import TestSupport

/// The real `TaskRunner` binary: `run --schedule`, `schedule list|install|pause|resume|add|runs`.
@Suite("TaskRunner schedule commands")
struct ScheduleCommandTests {
    static func migratedFresh() async throws -> String {
        let url = try await TestDatabase.fresh()
        let migrate = try await onThread { try taskRunner(["migrate"], databaseURL: url) }
        #expect(migrate.status == 0, "\(migrate.stderr)")
        return url
    }

    @Test("two run --schedule for the same slot at once: exactly one runs, the other says the slot is taken")
    func sameSlotTwice() async throws {
        let url = try await ScheduleCommandTests.migratedFresh()
        // A yearly slot, so both processes see the same one whatever the clock does meanwhile.
        let add = try await onThread {
            try taskRunner(
                ["schedule", "add", "yearly-probe", "--cron", "0 0 1 1 *", "--task", "test_task", "--args", #"{"sleep_ms": 500}"#],
                databaseURL: url)
        }
        #expect(add.status == 0, "\(add.stderr)")
        let first = StartedThread { try taskRunner(["run", "--schedule", "yearly-probe"], databaseURL: url) }
        let second = StartedThread { try taskRunner(["run", "--schedule", "yearly-probe"], databaseURL: url) }
        let results = [try await first.value, try await second.value]
        #expect(results.allSatisfy { $0.status == 0 }, "\(results.map(\.stderr))")
        let ran = results.filter { $0.stdout.contains("\"attempt\"") }
        let skipped = results.filter { $0.stdout.contains("skipped: slot") }
        #expect(ran.count == 1, "\(results.map(\.stdout))")
        #expect(skipped.count == 1, "\(results.map(\.stdout))")
        let connection = try PostgresConnection(conninfo: url)
        let runs = try connection.query("SELECT count(*)::int AS n FROM schedule_runs WHERE schedule = 'yearly-probe'")
        #expect(try runs.first?.decode(Int.self, "n") == 1)
        let jobs = try connection.query("SELECT count(*)::int AS n FROM jobs WHERE queue = 'schedule'")
        #expect(try jobs.first?.decode(Int.self, "n") == 1)
    }

    @Test("paused: run --schedule exits 0 with one line saying why; schedule runs shows nothing ran")
    func pausedCommand() async throws {
        let url = try await ScheduleCommandTests.migratedFresh()
        let pause = try await onThread { try taskRunner(["schedule", "pause", "health-check"], databaseURL: url) }
        #expect(pause.status == 0, "\(pause.stderr)")
        let run = try await onThread { try taskRunner(["run", "--schedule", "health-check"], databaseURL: url) }
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "schedule health-check skipped: the schedule is paused\n")
        let list = try await onThread { try taskRunner(["schedule", "list", "--json"], databaseURL: url) }
        let schedules = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        let health = schedules.first { $0["name"] as? String == "health-check" }
        #expect(health?["paused"] as? Bool == true)
        #expect(health?["runs"] as? Int == 0)
        let resume = try await onThread { try taskRunner(["schedule", "resume", "health-check"], databaseURL: url) }
        #expect(resume.status == 0)
    }

    @Test("schedule list shows the seven schedules with their next run; unknown names and bad input exit 2")
    func listAndErrors() async throws {
        let url = try await ScheduleCommandTests.migratedFresh()
        let list = try await onThread { try taskRunner(["schedule", "list"], databaseURL: url) }
        #expect(list.status == 0, "\(list.stderr)")
        for definition in ScheduleCatalog.builtIn {
            #expect(list.stdout.contains(definition.name))
        }
        #expect(list.stdout.contains("NEXT RUN"))
        let json = try await onThread { try taskRunner(["schedule", "list", "--json"], databaseURL: url) }
        let schedules = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(schedules.count == 7)
        #expect(schedules.allSatisfy { $0["next_run_at"] is String && $0["cron_words"] is String })

        let unknown = try await onThread { try taskRunner(["run", "--schedule", "nope"], databaseURL: url) }
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown schedule nope (known: "))
        let both = try await onThread { try taskRunner(["run", "test_task", "--schedule", "health-check"], databaseURL: url) }
        #expect(both.status != 0)
        #expect(both.stderr.contains("not both"))
        let badCron = try await onThread {
            try taskRunner(["schedule", "add", "x", "--cron", "* * *", "--task", "test_task"], databaseURL: url)
        }
        #expect(badCron.status == 2)
        #expect(badCron.stderr.contains("invalid cron expression"))
    }

    @Test("schedule install --print: the header and one entry per schedule, as in crontab/")
    func installPrint() async throws {
        let url = try await ScheduleCommandTests.migratedFresh()
        let printed = try await onThread {
            try taskRunner(["schedule", "install", "--print", "--env-file", "/srv/weather/env"], databaseURL: url)
        }
        #expect(printed.status == 0, "\(printed.stderr)")
        #expect(printed.stdout.hasPrefix("# BEGIN weather-service"))
        #expect(printed.stdout.contains("WEATHER_ENV_FILE=/srv/weather/env\n"))
        let binDirectory = URL(fileURLWithPath: Repository.binDirectory).resolvingSymlinksInPath().path
        #expect(printed.stdout.contains("PATH=\(binDirectory):"))
        for line in Crontab.entries(ScheduleCatalog.builtIn) {
            #expect(printed.stdout.contains(line + "\n"))
        }
        let noEnv = try await onThread { try runCommand(Repository.binDirectory + "/TaskRunner", ["schedule", "install", "--print"], environment: environment(with: ["DATABASE_URL": url, "WEATHER_ENV_FILE": nil])) }
        #expect(noEnv.status == 2)
        #expect(noEnv.stderr.contains("--env-file"))
    }

    @Test("WEATHER_ENV_FILE is loaded at start; variables already set win; a missing file is one clear line")
    func environmentFile() async throws {
        let url = try await ScheduleCommandTests.migratedFresh()
        let directory = try Repository.temporaryDirectory("envfile")
        let path = directory + "/env"
        let quoted = "'" + url.replacingOccurrences(of: "'", with: "'\\''") + "'"
        try "# written by a test\nDATABASE_URL=\(quoted)\nLOG_LEVEL=warning\n".write(toFile: path, atomically: true, encoding: .utf8)
        let ok = try await onThread {
            try runCommand(Repository.binDirectory + "/TaskRunner", ["schedule", "list"], environment: environment(with: ["DATABASE_URL": nil, "WEATHER_ENV_FILE": path]))
        }
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("health-check"))
        let missing = try await onThread {
            try runCommand(Repository.binDirectory + "/TaskRunner", ["tasks"], environment: environment(with: ["WEATHER_ENV_FILE": directory + "/nope"]))
        }
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("WEATHER_ENV_FILE"))
    }
}
