import AppSupport
import ArgumentParser
import Logging
import Postgres

/// What every database-using subcommand needs: validated settings, logging, a connection. Any
/// failure here prints one clear line and exits non-zero.
struct CommandEnvironment {
    let environment: Environment
    let databaseURL: String
    let logger: Logger

    /// Reads and validates the settings, and sets up logging.
    init(label: String) throws {
        environment = Environment()
        let level: LogLevel
        do {
            level = try environment.logLevel()
            databaseURL = try environment.required("DATABASE_URL", hint: "a libpq connection string or URI")
            try PostgresConnection.validate(conninfo: databaseURL)
        } catch let error as PostgresError {
            throw CommandFailure("configuration error: DATABASE_URL is not a valid connection string: \(error.message)", code: 2)
        } catch {
            throw CommandFailure("\(error)", code: 2)
        }
        LogSetup.bootstrap(level: level)
        logger = Logger(label: label)
    }

    /// Opens a connection, or fails with one line naming the problem.
    func connect(applicationName: String = "taskrunner") throws -> PostgresConnection {
        do {
            return try PostgresConnection(conninfo: databaseURL, applicationName: applicationName)
        } catch let error as PostgresError {
            throw CommandFailure("cannot connect to the database (DATABASE_URL): \(error.message)", code: 3)
        }
    }
}

/// Sets up the environment for `label`, connects, and runs `body`; a `Refusal` it throws (an
/// unknown name, a bad value: the user's input) exits with status 2 and its one line.
func withDatabase<Refusal: Error>(label: String, refusing _: Refusal.Type, _ body: (PostgresConnection) throws -> Void) throws {
    let environment = try CommandEnvironment(label: label)
    let connection = try environment.connect(applicationName: "taskrunner-\(label)")
    do {
        try body(connection)
    } catch let refusal as Refusal {
        throw CommandFailure("\(refusal)", code: 2)
    }
}

/// A failure reported as one line on standard error and a chosen exit code.
struct CommandFailure: Error, CustomStringConvertible {
    let message: String
    let code: Int32

    init(_ message: String, code: Int32 = 1) {
        self.message = message
        self.code = code
    }

    var description: String { message }
}

extension ParsableCommand {
    /// Runs `body`, turning a `CommandFailure` or any other error into one line and an exit code.
    func reportingFailures(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let failure as CommandFailure {
            printError("TaskRunner: \(failure.message)")
            throw ExitCode(failure.code)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            printError("TaskRunner: \(error)")
            throw ExitCode(1)
        }
    }
}
