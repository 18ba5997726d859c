import AppSupport
import ArgumentParser
import Jobs
import Tasks

/// `TaskRunner run TASK [--args JSON]`: runs a task now, in this process, recorded like a job.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a task now, in this process; record it like a queued job and print its result as JSON.",
        discussion: "Exit status: 0 when the task succeeded, 1 when it failed, 2 for bad input.")

    @Argument(help: "The task name (see `TaskRunner tasks`).")
    var task: String

    @Option(help: "The task's arguments, a JSON object.")
    var args: String?

    @Option(help: "The queue name recorded for the run.")
    var queue = "manual"

    func run() throws {
        try reportingFailures {
            let arguments = try parseArgs(args)
            let environment = try CommandEnvironment(label: "run")
            let connection = try environment.connect(applicationName: "taskrunner-run")
            let runner = ManualRun(registry: TaskCatalog.registry, databaseURL: environment.databaseURL, logger: environment.logger)
            let job: Job
            do {
                job = try runner.run(EnqueueRequest(task: task, args: arguments, queue: queue), on: connection)
            } catch let error as EnqueueError {
                throw error.commandFailure
            }
            guard job.state == .succeeded else {
                throw CommandFailure("job \(job.id) (\(job.task)) \(job.state.rawValue): \(job.error ?? "no error recorded")", code: 1)
            }
            print((job.result ?? .null).serialized)
        }
    }
}
