import AppSupport
import ArgumentParser
import FoundationEssentials
import Jobs
import Postgres
#if canImport(Glibc)
import Glibc
#endif
import Scheduling
import Tasks

/// `TaskRunner schedule list|install|...`: the schedules table and the crontab that runs it.
struct ScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Show and manage the schedules that cron runs (list, install, runs, pause, resume, add, remove).",
        subcommands: [
            ScheduleList.self, ScheduleInstall.self, ScheduleUninstall.self, ScheduleRuns.self, SchedulePause.self, ScheduleResume.self,
            ScheduleAdd.self, ScheduleRemove.self,
        ],
        defaultSubcommand: ScheduleList.self)
}

/// Runs `body` with the schedules store and a connection; schedule errors exit with status 2.
func withSchedules(_ body: (ScheduleStore, PostgresConnection) throws -> Void) throws {
    try withDatabase(label: "schedule", refusing: ScheduleError.self) { connection in
        try body(ScheduleStore(registry: TaskCatalog.registry), connection)
    }
}

struct ScheduleList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Show each schedule: cron, task, next run, last run and its outcome, runs so far, paused.")

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        try reportingFailures {
            try withSchedules { store, connection in
                let now = Date()
                let schedules = try store.list(on: connection)
                if json {
                    print(JSONValue.array(schedules.map { $0.json(now: now, timeZone: .current) }).serialized)
                    return
                }
                let rows = schedules.map { schedule -> [JSONValue] in
                    let next = (try? CronExpression(schedule.definition.cron))?.nextRun(after: now, in: .current)
                    let last = schedule.lastRun.map { "\($0.slot) \($0.state)" }
                    return [
                        .string(schedule.name), .string(schedule.definition.cron), .string(schedule.definition.task),
                        next.map { .string(LocalMinute($0, in: .current).description) } ?? .null, last.map { .string($0) } ?? .null,
                        .int(schedule.runs), .string(schedule.paused ? "yes" : "no"),
                    ]
                }
                print(Inspection.Table(columns: ["NAME", "CRON", "TASK", "NEXT RUN", "LAST RUN", "RUNS", "PAUSED"], rows: rows).text)
                print("(times in \(TimeZone.current.identifier))")
            }
        }
    }
}

struct ScheduleInstall: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Write one entry per schedule into this user's crontab, in a marked block replaced on reinstall.")

    @Option(help: "The environment file cron's TaskRunner loads (WEATHER_ENV_FILE); default: the current WEATHER_ENV_FILE.")
    var envFile: String?

    @Option(help: "The block's marker name, to keep several installations apart.")
    var name = "weather-service"

    @Flag(help: "Print the crontab instead of installing it.")
    var print = false

    func run() throws {
        try reportingFailures {
            guard let file = envFile ?? Environment().string("WEATHER_ENV_FILE"), file.hasPrefix("/") else {
                throw CommandFailure(
                    "schedule install needs the environment file cron should load: pass --env-file /absolute/path (scripts/run writes var/env)",
                    code: 2)
            }
            try withSchedules { store, connection in
                let schedules = try store.list(on: connection).map(\.definition)
                let lines = Crontab.header(binDirectory: executableDirectory(), environmentFile: file) + Crontab.entries(schedules)
                let block = Crontab.block(name: name, lines: lines)
                if print {
                    Swift.print(block, terminator: "")
                    return
                }
                let current = try Crontab.readInstalled()
                let updated = Crontab.replacingBlock(in: current, name: name, with: block)
                if updated == current {
                    Swift.print("crontab already up to date (\(schedules.count) schedules)")
                } else {
                    try Crontab.writeInstalled(updated)
                    Swift.print("installed \(schedules.count) schedules into the crontab (block \(name))")
                }
            }
        }
    }
}

struct ScheduleUninstall: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "uninstall", abstract: "Remove the marked block from this user's crontab.")

    @Option(help: "The block's marker name.")
    var name = "weather-service"

    func run() throws {
        try reportingFailures {
            let current = try Crontab.readInstalled()
            let updated = Crontab.replacingBlock(in: current, name: name, with: nil)
            if updated != current { try Crontab.writeInstalled(updated) }
            print(updated == current ? "no block \(name) in the crontab" : "removed block \(name) from the crontab")
        }
    }
}

struct ScheduleRuns: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "runs", abstract: "Show a schedule's latest runs, skipped ones included.")

    @Argument(help: "The schedule name.")
    var schedule: String

    @Option(help: "How many runs (1-1000).")
    var limit = 20

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        try reportingFailures {
            guard (1...1000).contains(limit) else { throw CommandFailure("--limit must be from 1 to 1000", code: 2) }
            try withSchedules { store, connection in
                let runs = try store.runs(of: schedule, limit: limit, on: connection)
                if json {
                    print(JSONValue.array(runs.map(\.json)).serialized)
                    return
                }
                let rows = runs.map { run -> [JSONValue] in
                    [
                        .string(run.slot.description), .string(run.state), .string(run.host), run.jobID.map { .int($0) } ?? .null,
                        .string(Timestamps.iso8601(run.startedAt)), run.reason.map { .string($0) } ?? .null,
                    ]
                }
                print(Inspection.Table(columns: ["SLOT", "STATE", "HOST", "JOB", "STARTED", "REASON"], rows: rows).text)
            }
        }
    }
}

struct SchedulePause: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pause", abstract: "Pause a schedule: cron still calls, runs are skipped.")

    @Argument(help: "The schedule name.")
    var schedule: String

    func run() throws { try reportingFailures { try setPaused(schedule, true) } }
}

struct ScheduleResume: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "Resume a paused schedule.")

    @Argument(help: "The schedule name.")
    var schedule: String

    func run() throws { try reportingFailures { try setPaused(schedule, false) } }
}

/// `schedule pause|resume NAME`.
private func setPaused(_ schedule: String, _ paused: Bool) throws {
    try withSchedules { store, connection in
        try store.setPaused(schedule, paused, on: connection)
        print("\(paused ? "paused" : "resumed") \(schedule)")
    }
}

struct ScheduleAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add or change a schedule of your own (for example backup_database), then run `schedule install`.")

    @Argument(help: "The schedule name: lowercase letters, digits and dashes.")
    var schedule: String

    @Option(help: "The cron expression (five fields, in the cron daemon's local time).")
    var cron: String

    @Option(help: "The task to run.")
    var task: String

    @Option(help: "The task's arguments, a JSON object.")
    var args: String?

    @Option(help: "One line for people.")
    var description = ""

    func run() throws {
        try reportingFailures {
            let arguments = try parseArgs(args)
            try withSchedules { store, connection in
                try store.save(
                    ScheduleDefinition(name: schedule, cron: cron, task: task, args: arguments, description: description), on: connection)
                print("saved schedule \(schedule) (\(cron) \(task)); run `TaskRunner schedule install` to update the crontab")
            }
        }
    }
}

struct ScheduleRemove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Remove a schedule and its history (a built-in one comes back at the next migrate).")

    @Argument(help: "The schedule name.")
    var schedule: String

    func run() throws {
        try reportingFailures {
            try withSchedules { store, connection in
                try store.remove(schedule, on: connection)
                print("removed schedule \(schedule)")
            }
        }
    }
}

/// The folder holding this executable (cron's PATH starts there).
func executableDirectory() -> String {
    var buffer = [CChar](repeating: 0, count: 4096)
    let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    guard count > 0 else { return "/usr/local/bin" }
    let path = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
}
