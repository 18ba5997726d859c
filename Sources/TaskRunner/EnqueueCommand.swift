import AppSupport
import ArgumentParser
import FoundationEssentials
import Jobs
import Postgres
import Tasks

/// `TaskRunner enqueue TASK ...` and `TaskRunner enqueue --batch FILE`.
struct EnqueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enqueue",
        abstract: "Put a job on the queue and print its id; with --wait, wait for it and print its result.",
        discussion: """
            With --batch FILE (or - for standard input), enqueue newline-delimited JSON objects
            {"task", "args", "queue", "priority", "delay_seconds", "unique_key"} in large batches
            and print how many were enqueued.
            Exit status with --wait: 0 succeeded, 1 failed or cancelled, 124 still unfinished when the wait ended.
            """)

    @Argument(help: "The task name (see `TaskRunner tasks`).")
    var task: String?

    @Option(help: "The task's arguments, a JSON object.")
    var args: String?

    @Option(help: "The queue.")
    var queue = "default"

    @Option(help: "Priority: higher runs first.")
    var priority = 0

    @Option(help: "Run no sooner than this many seconds from now.")
    var delay: Double = 0

    @Option(name: .customLong("unique-key"), help: "While a job with this key is waiting or running, return it instead.")
    var uniqueKey: String?

    @Option(name: .customLong("max-attempts"), help: "Attempts before the job fails (default: the task's).")
    var maxAttempts: Int?

    @Option(help: "Per-attempt time limit in seconds (default: the task's).")
    var timeout: Int?

    @Option(help: "Wait up to this many seconds for the job to finish, then print its result.")
    var wait: Double?

    @Option(help: "Enqueue newline-delimited JSON jobs from this file (- for standard input).")
    var batch: String?

    func validate() throws {
        if batch == nil && task == nil { throw ValidationError("give a task name, or --batch FILE") }
        if batch != nil && task != nil { throw ValidationError("give either a task name or --batch, not both") }
        if delay < 0 { throw ValidationError("--delay must not be negative") }
        if let wait, wait < 0 { throw ValidationError("--wait must not be negative") }
    }

    func run() throws {
        try reportingFailures {
            if let batch { return try enqueueBatch(batch) }
            let request = EnqueueRequest(
                task: task!, args: try parseArgs(args), queue: queue, priority: priority, delayMilliseconds: Int(delay * 1000),
                maxAttempts: maxAttempts, timeoutSeconds: timeout, uniqueKey: uniqueKey)
            let environment = try CommandEnvironment(label: "enqueue")
            let connection = try environment.connect(applicationName: "taskrunner-enqueue")
            let queue = JobQueue(registry: TaskCatalog.registry)
            let enqueued: JobQueue.Enqueued
            do {
                if wait != nil { try connection.listen("weather_job_done") }
                enqueued = try queue.enqueue(request, on: connection)
            } catch let error as EnqueueError {
                throw error.commandFailure
            }
            guard let wait else {
                print(enqueued.id)
                return
            }
            guard let job = try queue.waitUntilFinished(enqueued.id, timeout: .milliseconds(Int(wait * 1000)), listener: connection) else {
                throw CommandFailure("job \(enqueued.id) disappeared", code: 1)
            }
            switch job.state {
            case .succeeded:
                print((job.result ?? .null).serialized)
            case .failed, .cancelled:
                throw CommandFailure("job \(job.id) \(job.state.rawValue): \(job.error ?? "no error recorded")", code: 1)
            default:
                throw CommandFailure("job \(job.id) is still \(job.state.rawValue) after \(wait) s", code: 124)
            }
        }
    }

    private func enqueueBatch(_ path: String) throws {
        let text: String
        if path == "-" {
            var lines: [String] = []
            while let line = readLine(strippingNewline: false) { lines.append(line) }
            text = lines.joined()
        } else {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CommandFailure("--batch: cannot read \(path)", code: 2)
            }
            text = String(decoding: data, as: UTF8.self)
        }
        var requests: [EnqueueRequest] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.allSatisfy(\.isWhitespace) { continue }
            do {
                requests.append(try BatchLine.parse(String(line)))
            } catch {
                throw CommandFailure("--batch line \(index + 1): \(error)", code: 2)
            }
        }
        let environment = try CommandEnvironment(label: "enqueue")
        let connection = try environment.connect(applicationName: "taskrunner-enqueue")
        do {
            let ids = try connection.transaction { tx in
                try JobQueue(registry: TaskCatalog.registry).enqueueBatch(requests, on: tx)
            }
            print(ids.count)
        } catch let error as EnqueueError {
            throw error.commandFailure
        }
    }
}

/// One line of an `enqueue --batch` file.
enum BatchLine {
    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    static func parse(_ line: String) throws -> EnqueueRequest {
        let value: JSONValue
        do {
            value = try JSONValue.parse(line)
        } catch {
            throw Invalid(description: "not valid JSON: \(JSONValue.reason(error))")
        }
        guard case .object(let fields) = value else { throw Invalid(description: "must be a JSON object") }
        let known: Set<String> = ["task", "args", "queue", "priority", "delay_seconds", "unique_key", "max_attempts", "timeout_seconds"]
        if let unknown = fields.keys.first(where: { !known.contains($0) }) { throw Invalid(description: "unknown field \(unknown)") }
        guard case .string(let task)? = fields["task"] else { throw Invalid(description: "task is required, a string") }
        func int(_ name: String) throws -> Int? {
            switch fields[name] {
            case nil, .null?: return nil
            case .int(let value)?: return value
            default: throw Invalid(description: "\(name) must be an integer")
            }
        }
        func string(_ name: String) throws -> String? {
            switch fields[name] {
            case nil, .null?: return nil
            case .string(let value)?: return value
            default: throw Invalid(description: "\(name) must be a string")
            }
        }
        var delayMs = 0
        switch fields["delay_seconds"] {
        case nil, .null?: break
        case .int(let seconds)?: delayMs = seconds * 1000
        case .double(let seconds)?: delayMs = Int(seconds * 1000)
        default: throw Invalid(description: "delay_seconds must be a number")
        }
        return EnqueueRequest(
            task: task, args: fields["args"] ?? [:], queue: try string("queue") ?? "default", priority: try int("priority") ?? 0,
            delayMilliseconds: delayMs, maxAttempts: try int("max_attempts"), timeoutSeconds: try int("timeout_seconds"),
            uniqueKey: try string("unique_key"))
    }
}
