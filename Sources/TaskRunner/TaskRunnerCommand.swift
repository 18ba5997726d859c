import AppSupport
import ArgumentParser

/// `TaskRunner`: migrations, tasks, schedules, the queue daemon and inspection, in one executable.
@main
struct TaskRunnerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "TaskRunner",
        abstract: "Runs, schedules and inspects the weather service's background jobs.",
        discussion: "WEATHER_ENV_FILE names a NAME=value file whose variables are loaded at start (those already set win); the crontab sets it.",
        subcommands: [
            MigrateCommand.self, TasksCommand.self, RunCommand.self, EnqueueCommand.self, ShowCommand.self, DaemonCommand.self,
            InspectCommand.self, ScheduleCommand.self, TokenCommand.self, UserCommand.self,
        ]
    )

    /// Loads `WEATHER_ENV_FILE` (if set) before parsing, then runs the command.
    static func main() {
        if let path = Environment().string("WEATHER_ENV_FILE") {
            do {
                try EnvironmentFile.load(path: path)
            } catch {
                printError("TaskRunner: configuration error: WEATHER_ENV_FILE: \(error)")
                Self.exit(withError: ExitCode(2))
            }
        }
        Self.main(nil)
    }
}
