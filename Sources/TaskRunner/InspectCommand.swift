import AppSupport
import ArgumentParser
import FoundationEssentials
import Jobs
import Postgres

/// `TaskRunner inspect active|workers|queues [--json]`.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect", abstract: "Show what runs where: active jobs, workers, or job counts by queue and state.")

    enum What: String, ExpressibleByArgument, CaseIterable {
        case active, workers, queues
    }

    @Argument(help: "active, workers or queues.")
    var what: What = .active

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        try reportingFailures {
            let environment = try CommandEnvironment(label: "inspect")
            let connection = try environment.connect(applicationName: "taskrunner-inspect")
            let report = try Inspection(connection: connection)
            let table: Inspection.Table
            switch what {
            case .active: table = try report.active()
            case .workers: table = try report.workers()
            case .queues: table = try report.queues()
            }
            print(json ? table.json.serialized : table.text)
        }
    }
}
