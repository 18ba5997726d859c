import AppSupport
import ArgumentParser
import Jobs
import Scheduling
import Tasks

/// `TaskRunner run TASK [--args JSON]`: runs a task now, in this process, recorded like a job.
/// `TaskRunner run --schedule NAME`: what each crontab entry calls.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a task now, in this process; record it like a queued job and print its result as JSON.",
        discussion: """
            With --schedule NAME (what the crontab calls), runs the schedule's task for the slot due now, unless the \
            schedule is paused, the slot already ran on any host, or the previous run is still going; a skip prints one \
            line saying why and exits 0.
            Exit status: 0 when the task succeeded (or the run was skipped), 1 when it failed, 2 for bad input.
            """)

    @Argument(help: "The task name (see `TaskRunner tasks`).")
    var task: String?

    @Option(help: "The task's arguments, a JSON object.")
    var args: String?

    @Option(help: "The queue name recorded for the run.")
    var queue = "manual"

    @Option(help: "Run this schedule's task for the slot due now (see `TaskRunner schedule list`).")
    var schedule: String?

    func validate() throws {
        switch (task, schedule) {
        case (nil, nil): throw ValidationError("give a TASK or --schedule NAME")
        case (.some, .some): throw ValidationError("give a TASK or --schedule NAME, not both")
        case (nil, .some) where args != nil: throw ValidationError("--args goes with a TASK; a schedule has its own arguments")
        default: break
        }
    }

    func run() throws {
        try reportingFailures {
            let environment = try CommandEnvironment(label: "run")
            let connection = try environment.connect(applicationName: "taskrunner-run")
            let job: Job
            if let schedule {
                let runner = ScheduledRun(registry: TaskCatalog.registry, databaseURL: environment.databaseURL, logger: environment.logger)
                let outcome: ScheduledRun.Outcome
                do {
                    outcome = try runner.run(schedule: schedule, on: connection)
                } catch let error as ScheduleError {
                    throw CommandFailure("\(error)", code: 2)
                } catch let error as EnqueueError {
                    throw error.commandFailure
                }
                switch outcome {
                case .skipped(let reason):
                    print("schedule \(schedule) skipped: \(reason)")
                    return
                case .ran(_, let ranJob):
                    job = ranJob
                }
            } else {
                let arguments = try parseArgs(args)
                let runner = ManualRun(registry: TaskCatalog.registry, databaseURL: environment.databaseURL, logger: environment.logger)
                do {
                    job = try runner.run(EnqueueRequest(task: task ?? "", args: arguments, queue: queue), on: connection)
                } catch let error as EnqueueError {
                    throw error.commandFailure
                }
            }
            guard job.state == .succeeded else {
                throw CommandFailure("job \(job.id) (\(job.task)) \(job.state.rawValue): \(job.error ?? "no error recorded")", code: 1)
            }
            print((job.result ?? .null).serialized)
        }
    }
}
