import AppSupport
import Foundation
import Jobs
import Logging
import Postgres
import Scheduling
import Tasks
import Testing
import TestSupport

/// `run --schedule` in process, on a database of its own: slots, pause, overlap, lost runs.
@Suite("Scheduled runs")
struct ScheduledRunTests {
    static let utc = TimeZone(identifier: "UTC")!

    static func setUp(_ definition: ScheduleDefinition) async throws -> String {
        let url = try await TestDatabase.fresh()
        try await onThread {
            let connection = try PostgresConnection(conninfo: url)
            try ScheduleStore(registry: TaskCatalog.registry).save(definition, on: connection)
        }
        return url
    }

    static func runner(_ url: String) -> ScheduledRun {
        ScheduledRun(registry: TaskCatalog.registry, databaseURL: url, timeZone: utc, logger: Logger(label: "test"))
    }

    static func date(_ text: String) -> Date { Timestamps.parseISO8601(text)! }

    @Test("a run claims the slot due now; the same slot again is skipped, the next one runs")
    func slots() async throws {
        let url = try await ScheduledRunTests.setUp(
            ScheduleDefinition(name: "probe", cron: "*/10 * * * *", task: "test_task", args: ["message": "tick"], description: ""))
        try await onThread {
            let connection = try PostgresConnection(conninfo: url)
            let runner = ScheduledRunTests.runner(url)
            let first = try runner.run(schedule: "probe", now: ScheduledRunTests.date("2026-11-25T08:13:40Z"), on: connection)
            guard case .ran(let slot, let job) = first else { Issue.record("expected a run, got \(first)"); return }
            #expect(slot.description == "2026-11-25 08:10")
            #expect(job.state == .succeeded)
            #expect(job.result?["message"] == "tick")
            #expect(job.queue == "schedule")
            let again = try runner.run(schedule: "probe", now: ScheduledRunTests.date("2026-11-25T08:19:59Z"), on: connection)
            guard case .skipped(let reason) = again else { Issue.record("expected a skip, got \(again)"); return }
            #expect(reason.contains("slot 2026-11-25 08:10 already ran"))
            let next = try runner.run(schedule: "probe", now: ScheduledRunTests.date("2026-11-25T08:20:00Z"), on: connection)
            guard case .ran(let nextSlot, _) = next else { Issue.record("expected a run, got \(next)"); return }
            #expect(nextSlot.description == "2026-11-25 08:20")
            let schedule = try ScheduleStore(registry: TaskCatalog.registry).schedule("probe", on: connection)
            #expect(schedule.runs == 2)
            #expect(schedule.lastRun?.state == "succeeded")
            #expect(schedule.lastRun?.slot.description == "2026-11-25 08:20")
            #expect(schedule.lastSuccessAt != nil)
            let runs = try ScheduleStore(registry: TaskCatalog.registry).runs(of: "probe", on: connection)
            #expect(runs.map(\.state) == ["succeeded", "succeeded"])
            #expect(runs.allSatisfy { $0.jobID != nil })
        }
    }

    @Test("a paused schedule is skipped and says so; resumed, it runs")
    func paused() async throws {
        let url = try await ScheduledRunTests.setUp(ScheduleDefinition(name: "probe", cron: "0 3 * * *", task: "test_task", description: ""))
        try await onThread {
            let connection = try PostgresConnection(conninfo: url)
            let store = ScheduleStore(registry: TaskCatalog.registry)
            try store.setPaused("probe", true, on: connection)
            let now = ScheduledRunTests.date("2026-11-25T03:00:05Z")
            let skipped = try ScheduledRunTests.runner(url).run(schedule: "probe", now: now, on: connection)
            #expect(skipped == .skipped(reason: "the schedule is paused"))
            #expect(try store.runs(of: "probe", on: connection).isEmpty)
            try store.setPaused("probe", false, on: connection)
            let ran = try ScheduledRunTests.runner(url).run(schedule: "probe", now: now, on: connection)
            guard case .ran(let slot, _) = ran else { Issue.record("expected a run, got \(ran)"); return }
            #expect(slot.description == "2026-11-25 03:00")
        }
    }

    @Test("while a run is still going, the next slot is skipped (recorded as skipped); after it ends, runs resume")
    func overlap() async throws {
        let url = try await ScheduledRunTests.setUp(
            ScheduleDefinition(name: "slow", cron: "* * * * *", task: "test_task", args: ["sleep_ms": 3000], description: ""))
        let first = StartedThread { () throws -> ScheduledRun.Outcome in
            let connection = try PostgresConnection(conninfo: url)
            return try ScheduledRunTests.runner(url).run(schedule: "slow", now: ScheduledRunTests.date("2026-11-25T10:00:10Z"), on: connection)
        }
        try await onThread {
            let connection = try PostgresConnection(conninfo: url)
            try eventually("the first run to start") {
                try ScheduleStore(registry: TaskCatalog.registry).runs(of: "slow", on: connection).first?.jobID != nil
            }
            let second = try ScheduledRunTests.runner(url).run(schedule: "slow", now: ScheduledRunTests.date("2026-11-25T10:01:02Z"), on: connection)
            guard case .skipped(let reason) = second else { Issue.record("expected a skip, got \(second)"); return }
            #expect(reason.contains("previous run (slot 2026-11-25 10:00"))
            #expect(reason.contains("still going"))
        }
        let outcome = try await first.value
        guard case .ran(_, let job) = outcome else { Issue.record("expected the first to run, got \(outcome)"); return }
        #expect(job.state == .succeeded)
        try await onThread {
            let connection = try PostgresConnection(conninfo: url)
            let third = try ScheduledRunTests.runner(url).run(schedule: "slow", now: ScheduledRunTests.date("2026-11-25T10:02:00Z"), on: connection)
            guard case .ran = third else { Issue.record("expected a run, got \(third)"); return }
            let runs = try ScheduleStore(registry: TaskCatalog.registry).runs(of: "slow", on: connection)
            #expect(runs.map(\.state).sorted() == ["skipped", "succeeded", "succeeded"])
            #expect(try ScheduleStore(registry: TaskCatalog.registry).schedule("slow", on: connection).runs == 2)
        }
    }

    @Test("a previous run whose process died does not block the next slot: it is closed as failed")
    func lostRun() async throws {
        let url = try await ScheduledRunTests.setUp(ScheduleDefinition(name: "probe", cron: "* * * * *", task: "test_task", description: ""))
        try await onThread {
            let connection = try PostgresConnection(conninfo: url)
            // A run claimed by a process that died before it created its job, long ago.
            try connection.execute(
                "INSERT INTO schedule_runs (schedule, slot, host, pid, state, started_at) VALUES ('probe', '2026-11-25 09:00', 'gone', 1, 'running', now() - interval '1 hour')"
            )
            let outcome = try ScheduledRunTests.runner(url).run(schedule: "probe", now: ScheduledRunTests.date("2026-11-25T09:05:00Z"), on: connection)
            guard case .ran = outcome else { Issue.record("expected a run, got \(outcome)"); return }
            let runs = try ScheduleStore(registry: TaskCatalog.registry).runs(of: "probe", on: connection)
            let lost = runs.first { $0.slot.description == "2026-11-25 09:00" }
            #expect(lost?.state == "failed")
            #expect(lost?.reason?.contains("lost") == true)
        }
    }

    @Test("an unknown schedule names the known ones")
    func unknown() async throws {
        let url = try await TestDatabase.fresh()
        try await onThread {
            let connection = try PostgresConnection(conninfo: url)
            try ScheduleStore(registry: TaskCatalog.registry).sync(on: connection)
            #expect {
                try ScheduledRunTests.runner(url).run(schedule: "nope", on: connection)
            } throws: { error in
                "\(error)".contains("unknown schedule nope") && "\(error)".contains("health-check")
            }
        }
    }

    @Test("save refuses bad names, cron expressions and tasks")
    func validation() async throws {
        let store = ScheduleStore(registry: TaskCatalog.registry)
        #expect(throws: ScheduleError.invalidName("Bad Name")) {
            try store.validate(ScheduleDefinition(name: "Bad Name", cron: "* * * * *", task: "test_task", description: ""))
        }
        #expect(throws: ScheduleError.unknownTask(schedule: "x", task: "nope")) {
            try store.validate(ScheduleDefinition(name: "x", cron: "* * * * *", task: "nope", description: ""))
        }
        let badCron = Result { () throws(ScheduleError) in
            try store.validate(ScheduleDefinition(name: "x", cron: "61 * * * *", task: "test_task", description: ""))
        }
        guard case .failure(let error) = badCron else {
            Issue.record("61 minutes accepted")
            return
        }
        #expect(error.description.contains("invalid cron expression"))
    }
}
