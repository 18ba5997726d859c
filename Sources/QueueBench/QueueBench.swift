import AppSupport
import HTTPClient
import Jobs
import Postgres
import Tasks
#if canImport(Glibc)
import Glibc
#endif

/// The subcommands of QueueBench; see main.swift.
enum QueueBenchCommand {
    struct Failure: Error, CustomStringConvertible {
        let description: String
        let code: Int32
        init(_ description: String, code: Int32 = 1) {
            self.description = description
            self.code = code
        }
    }

    static func main(_ arguments: [String]) -> Int32 {
        do {
            guard let command = arguments.first else { throw Failure("usage: QueueBench latency|wait|batch|watch [options]", code: 2) }
            let options = try Options(Array(arguments.dropFirst()))
            switch command {
            case "latency": try latency(options)
            case "wait": try wait(options)
            case "batch": try batch(options)
            case "watch": try watch(options)
            default: throw Failure("unknown command \(command)", code: 2)
            }
            try options.checkAllUsed()
            return 0
        } catch let failure as Failure {
            say("QueueBench: \(failure.description)", fd: 2)
            return failure.code
        } catch {
            say("QueueBench: \(error)", fd: 2)
            return 1
        }
    }

    // MARK: Commands

    /// Enqueues `count` no-op jobs one by one (each its own transaction), pausing between them so
    /// the daemon is idle each time; waits until all are finished; writes started_at - created_at
    /// of each (both Postgres now()) in milliseconds, one per line.
    ///
    /// With `--url` (FCGIApp's `POST /api/tasks`, through nginx) and `--token`, each job is
    /// enqueued over HTTP instead: the enqueue commits without a `NOTIFY` and FCGIApp's listener
    /// thread sends the wake-up afterwards (`JobWakeups`), so this measures that hand-over.
    static func latency(_ options: Options) throws {
        let count = try options.int("count")
        let pause = try options.int("pause-ms", default: 3)
        let out = try options.string("out")
        let url = options.optionalString("url")
        let queueName = options.optionalString("queue") ?? "default"
        let connection = try connect()
        let enqueue: () throws -> Int
        if let url {
            enqueue = try httpEnqueuer(url: url, token: try options.string("token"), queue: queueName)
        } else {
            let queue = JobQueue(registry: TaskCatalog.registry)
            enqueue = { try queue.enqueue(EnqueueRequest(task: "test_task", queue: queueName), on: connection).id }
        }
        var ids: [Int] = []
        ids.reserveCapacity(count)
        for _ in 0..<count {
            ids.append(try enqueue())
            sleep(milliseconds: pause)
        }
        try waitFinished(ids: ids, on: connection, timeout: .seconds(60))
        let rows = try connection.query(
            """
            SELECT state, extract(epoch FROM started_at - created_at) * 1000 AS ms
            FROM jobs WHERE id = ANY(\(PostgresTextArray(ids.map(String.init)))::bigint[]) ORDER BY id
            """)
        var samples: [Double] = []
        for row in rows {
            let state = try row.decode(String.self, "state")
            guard state == "succeeded" else { throw Failure("a latency job ended \(state)") }
            samples.append(try row.decode(Double.self, "ms"))
        }
        guard samples.count == count else { throw Failure("expected \(count) jobs, found \(samples.count)") }
        try writeSamples(samples, to: out)
    }

    /// Enqueues one `test_task` job per call with `POST url` (one kept-alive libcurl handle)
    /// and returns its id; anything but 202 is a failure.
    static func httpEnqueuer(url: String, token: String, queue: String) throws -> () throws -> Int {
        let client = try HTTPClient()
        let request = HTTPRequest(
            method: .post, url: url,
            headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")],
            body: JSONValue.object(["task": .string("test_task"), "queue": .string(queue)]).bytes)
        return {
            let response = try client.perform(request)
            guard response.status == 202, case .int(let id)? = try JSONValue.parse(response.body)["id"] else {
                throw Failure("POST \(url) answered \(response.status): \(response.bodyText)")
            }
            return id
        }
    }

    /// The code path of `TaskRunner enqueue TASK --wait S` (EnqueueCommand), in-process and
    /// sequential: on one connection, LISTEN weather_job_done, enqueue, waitUntilFinished; the
    /// monotonic clock runs around the enqueue and the wait. Every job must succeed.
    static func wait(_ options: Options) throws {
        let count = try options.int("count")
        let timeout = try options.int("timeout", default: 10)
        let out = try options.string("out")
        let connection = try connect()
        let queue = JobQueue(registry: TaskCatalog.registry)
        let clock = ContinuousClock()
        var samples: [Double] = []
        samples.reserveCapacity(count)
        for _ in 0..<count {
            let request = EnqueueRequest(task: "test_task")
            let start = clock.now
            try connection.listen("weather_job_done")
            let enqueued = try queue.enqueue(request, on: connection)
            guard let job = try queue.waitUntilFinished(enqueued.id, timeout: .seconds(timeout), listener: connection) else {
                throw Failure("job \(enqueued.id) disappeared")
            }
            let elapsed = start.duration(to: clock.now)
            guard job.state == .succeeded else {
                throw Failure("job \(job.id) is \(job.state.rawValue) after the wait of \(timeout) s")
            }
            samples.append(milliseconds(elapsed))
        }
        try writeSamples(samples, to: out)
    }

    /// `enqueueBatch` of `count` no-op jobs in one transaction, as `enqueue --batch` does.
    /// Prints "jobs seconds".
    static func batch(_ options: Options) throws {
        let count = try options.int("count")
        let chunk = try options.int("chunk", default: 5000)
        let connection = try connect()
        let queue = JobQueue(registry: TaskCatalog.registry)
        let requests = (0..<count).map { _ in EnqueueRequest(task: "test_task") }
        let clock = ContinuousClock()
        let start = clock.now
        let ids = try connection.transaction { tx in try queue.enqueueBatch(requests, on: tx, chunkSize: chunk) }
        let elapsed = start.duration(to: clock.now)
        guard ids.count == count else { throw Failure("enqueueBatch returned \(ids.count) ids for \(count) jobs") }
        say("\(ids.count) \(seconds(elapsed))")
    }

    /// Prints "ready", then polls every `interval-ms` until no job is waiting or running and
    /// `expect` jobs have succeeded; prints the wall-clock time (epoch seconds) it saw that.
    static func watch(_ options: Options) throws {
        let expect = try options.int("expect")
        let timeout = try options.int("timeout", default: 300)
        let interval = try options.int("interval-ms", default: 20)
        let connection = try connect()
        let unfinished: PostgresQuery = """
            SELECT EXISTS (SELECT 1 FROM jobs WHERE state IN ('queued', 'retrying'))
                OR EXISTS (SELECT 1 FROM jobs WHERE state = 'running') AS busy
            """
        _ = try connection.query(unfinished)
        say("ready")
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(timeout)
        var polls = 0
        while true {
            polls += 1
            let busy = try connection.query(unfinished).first?.decode(Bool.self, "busy") ?? true
            if !busy { break }
            if clock.now > deadline { throw Failure("jobs still unfinished after \(timeout) s") }
            sleep(milliseconds: interval)
        }
        let done = realtime()
        let succeeded = try connection.query("SELECT count(*)::bigint AS n FROM jobs WHERE state = 'succeeded'").first?
            .decode(Int.self, "n") ?? 0
        guard succeeded == expect else { throw Failure("\(succeeded) jobs succeeded, expected \(expect)") }
        say("done \(done) \(polls)")
    }

    // MARK: Helpers

    static func connect() throws -> PostgresConnection {
        guard let url = getenv("DATABASE_URL").map({ String(cString: $0) }), !url.isEmpty else {
            throw Failure("DATABASE_URL is not set", code: 2)
        }
        return try PostgresConnection(conninfo: url, applicationName: "queuebench")
    }

    /// Polls (every 10 ms) until every job of `ids` is finished.
    static func waitFinished(ids: [Int], on connection: PostgresConnection, timeout: Duration) throws {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        let array = PostgresTextArray(ids.map(String.init))
        while true {
            let left = try connection.query(
                """
                SELECT count(*)::bigint AS n FROM jobs
                WHERE id = ANY(\(array)::bigint[]) AND state NOT IN ('succeeded', 'failed', 'cancelled')
                """
            ).first?.decode(Int.self, "n") ?? 0
            if left == 0 { return }
            if clock.now > deadline { throw Failure("\(left) jobs unfinished after \(timeout)") }
            sleep(milliseconds: 10)
        }
    }

    static func writeSamples(_ samples: [Double], to path: String) throws {
        let text = samples.map { String($0) }.joined(separator: "\n") + "\n"
        guard let file = fopen(path, "w") else { throw Failure("cannot write \(path)") }
        defer { fclose(file) }
        guard fputs(text, file) >= 0 else { throw Failure("cannot write \(path)") }
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    static func seconds(_ duration: Duration) -> Double { milliseconds(duration) / 1000 }

    static func realtime() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func sleep(milliseconds: Int) {
        guard milliseconds > 0 else { return }
        var ts = timespec(tv_sec: milliseconds / 1000, tv_nsec: (milliseconds % 1000) * 1_000_000)
        nanosleep(&ts, nil)
    }

    /// Writes a line straight to a descriptor (unbuffered, so the script sees "ready" at once).
    static func say(_ line: String, fd: Int32 = 1) {
        let text = line + "\n"
        _ = text.withCString { write(fd, $0, strlen($0)) }
    }
}

/// `--name value` options; every one given must be used.
final class Options {
    private var values: [String: String] = [:]
    private var used: Set<String> = []

    init(_ arguments: [String]) throws {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            guard argument.hasPrefix("--"), index + 1 < arguments.count else {
                throw QueueBenchCommand.Failure("expected --name value, got \(argument)", code: 2)
            }
            values[String(argument.dropFirst(2))] = arguments[index + 1]
            index += 2
        }
    }

    func string(_ name: String) throws -> String {
        guard let value = optionalString(name) else { throw QueueBenchCommand.Failure("--\(name) is required", code: 2) }
        return value
    }

    func optionalString(_ name: String) -> String? {
        used.insert(name)
        return values[name]
    }

    func int(_ name: String, default fallback: Int? = nil) throws -> Int {
        used.insert(name)
        guard let text = values[name] else {
            if let fallback { return fallback }
            throw QueueBenchCommand.Failure("--\(name) is required", code: 2)
        }
        guard let value = Int(text), value >= 0 else { throw QueueBenchCommand.Failure("--\(name) must be a whole number", code: 2) }
        return value
    }

    func checkAllUsed() throws {
        if let unknown = values.keys.first(where: { !used.contains($0) }) {
            throw QueueBenchCommand.Failure("unknown option --\(unknown)", code: 2)
        }
    }
}
