import ArgumentParser
import Jobs
import Tasks

/// `TaskRunner show ID`: one job as JSON.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print one job as JSON (the fields of GET /api/tasks/{id}).")

    @Argument(help: "The job id.")
    var id: Int

    func run() throws {
        try reportingFailures {
            let environment = try CommandEnvironment(label: "show")
            let connection = try environment.connect(applicationName: "taskrunner-show")
            guard let job = try JobQueue(registry: TaskCatalog.registry).job(id, on: connection) else {
                throw CommandFailure("no job \(id)", code: 1)
            }
            print(job.json.serialized)
        }
    }
}
