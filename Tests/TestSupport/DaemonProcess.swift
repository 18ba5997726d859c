import Foundation

/// A real `TaskRunner daemon` process, logging to a file.
public final class DaemonProcess: @unchecked Sendable {
    public let child: ChildProcess
    public let logPath: String

    /// Starts `TaskRunner daemon` with `arguments` against `databaseURL`. Blocking.
    public init(databaseURL: String, arguments: [String]) throws {
        logPath = try Repository.temporaryDirectory("daemon") + "/daemon.log"
        let log = open(logPath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard log >= 0 else { throw HarnessError("cannot open \(logPath)") }
        defer { close(log) }
        let env = environment(with: ["DATABASE_URL": databaseURL, "LOG_LEVEL": "info"])
        child = try Spawning.locked {
            try ChildProcess(Repository.binDirectory + "/TaskRunner", ["daemon"] + arguments, environment: env, stdout: log, stderr: log)
        }
    }

    /// The daemon's log so far.
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Sends `signal` and waits for the exit status.
    public func stop(signal: Int32 = SIGTERM) -> Int32 {
        child.signal(signal)
        return child.wait()
    }

    deinit {
        if child.isRunning {
            child.signal(SIGKILL)
            child.wait()
        }
        Repository.removeTemporaryDirectory((logPath as NSString).deletingLastPathComponent)
    }
}

/// Runs `TaskRunner` with `arguments` against `databaseURL` and returns what it printed.
public func taskRunner(_ arguments: [String], databaseURL: String?, stdin: String? = nil) throws -> CommandResult {
    try runCommand(Repository.binDirectory + "/TaskRunner", arguments, environment: environment(with: ["DATABASE_URL": databaseURL]), stdin: stdin)
}

/// Polls `condition` every 20 ms for up to `seconds`; throws when it never holds.
public func eventually(_ what: String, seconds: Double = 30, _ condition: () throws -> Bool) throws {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return }
        usleep(20_000)
    }
    throw HarnessError("timed out after \(seconds) s waiting for \(what)")
}
