import ArgumentParser

/// `TaskRunner`: migrations, tasks, the queue daemon and inspection, in one executable.
@main
struct TaskRunnerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "TaskRunner",
        abstract: "Runs, schedules and inspects the weather service's background jobs.",
        subcommands: [
            MigrateCommand.self, TasksCommand.self, RunCommand.self, EnqueueCommand.self, ShowCommand.self, DaemonCommand.self,
            InspectCommand.self,
        ]
    )
}
