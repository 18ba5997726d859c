import AppSupport
import ArgumentParser
import Tasks

/// `TaskRunner tasks`: the registered tasks.
struct TasksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tasks", abstract: "List the registered tasks.")

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let tasks = TaskCatalog.registry.all
        if json {
            print(JSONValue.array(tasks.map {
                ["name": .string($0.name), "summary": .string($0.summary), "max_attempts": .int($0.maxAttempts), "timeout_seconds": .int($0.timeoutSeconds)]
            }).serialized)
            return
        }
        let width = tasks.map(\.name.count).max() ?? 0
        for task in tasks {
            print(task.name.padding(to: width) + "  " + task.summary)
        }
    }
}

extension String {
    func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
