import Foundation
import HTTPClient
import Postgres
import Testing
import TestSupport

@Suite("FCGIApp lifecycle: database outages, signals, bad configuration")
struct ResponderLifecycleTests {
    /// A migrated cluster of the test's own (it may stop it) with FCGIApp and nginx in front.
    static func stackOnOwnCluster() throws -> (DisposableCluster, ServiceStack) {
        let cluster = try DisposableCluster()
        let migrate = try taskRunner(["migrate"], databaseURL: cluster.databaseURL)
        guard migrate.status == 0 else { throw HarnessError("migrate failed: \(migrate.stderr)") }
        return (cluster, try ServiceStack(databaseURL: cluster.databaseURL))
    }

    @Test("health is 503 while the database is stopped and 200 again once it is back")
    func healthFollowsTheDatabase() async throws {
        let (cluster, stack) = try await onThread { try ResponderLifecycleTests.stackOnOwnCluster() }
        defer {
            stack.shutdown()
            cluster.destroy()
        }
        #expect(try await send(.get, stack.baseURL + "/api/health").status == 200)
        // Queue figures: refreshed at most once a second per responder thread.
        let enqueued = try await onThread {
            try taskRunner(["enqueue", "--batch", "-"], databaseURL: cluster.databaseURL, stdin: String(repeating: #"{"task":"test_task"}"# + "\n", count: 3))
        }
        #expect(enqueued.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "3")
        try await Task.sleep(for: .milliseconds(1100))
        let figures = try jsonObject(try await send(.get, stack.baseURL + "/api/health"))
        #expect(figures["queue_depth"] as? Int == 3)
        #expect(figures["live_workers"] as? Int == 0)

        try await onThread { try cluster.stop() }
        let down = try await send(.get, stack.baseURL + "/api/health")
        #expect(down.status == 503)
        #expect(try jsonObject(down)["database"] as? String == "unreachable")
        // Liveness does not depend on the database.
        #expect(try await send(.get, stack.baseURL + "/api/ping").status == 200)

        try await onThread { try cluster.start() }
        // Every accept thread reconnects on its own; ask often enough to reach several.
        for _ in 0..<8 {
            #expect(try await send(.get, stack.baseURL + "/api/health").status == 200)
        }
    }

    @Test("SIGTERM: exits 0 and removes its socket; nginx then answers a JSON 503")
    func sigterm() async throws {
        let stack = try await onThread { try ServiceStack(databaseURL: try TestDatabase.url()) }
        defer { stack.shutdown() }
        #expect(try await send(.get, stack.baseURL + "/api/ping").status == 200)
        let status = await onThread { stack.stopFCGIApp(signal: SIGTERM) }
        #expect(status == 0)
        #expect(!FileManager.default.fileExists(atPath: stack.socketPath))
        #expect(stack.fcgiLog.contains("received SIGTERM"))
        let gone = try await send(.get, stack.baseURL + "/api/ping")
        #expect(gone.status == 503)
        #expect(try errorCode(gone) == "service_unavailable")
        #expect(gone.header("Retry-After") == "5")
        // nginx's own answer carries the site's security headers too.
        #expect(gone.header("X-Content-Type-Options") == "nosniff")
        #expect(gone.header("Referrer-Policy") == "same-origin")
        // SIGINT behaves the same.
        try await onThread { try stack.restartFCGIApp() }
        #expect(try await send(.get, stack.baseURL + "/api/ping").status == 200)
        #expect(await onThread { stack.stopFCGIApp(signal: SIGINT) } == 0)
    }

    @Test("SIGTERM during a request: the request still completes, then the responder exits 0")
    func sigtermFinishesInFlight() async throws {
        let (cluster, stack) = try await onThread { try ResponderLifecycleTests.stackOnOwnCluster() }
        defer {
            stack.shutdown()
            cluster.destroy()
        }
        // Hold a lock that /api/health's query must wait for, so the request stays in flight;
        // the connection lives on this one thread.
        let pid = stack.fcgiProcessID
        let status = try await onThread { () throws -> Int in
            let blocker = try PostgresConnection(conninfo: cluster.databaseURL)
            try blocker.simpleQuery("BEGIN; LOCK TABLE schema_migrations IN ACCESS EXCLUSIVE MODE")
            let finished = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var outcome: Result<HTTPResponse, HTTPClientError>?
            Thread {
                outcome = Result { () throws(HTTPClientError) in
                    try HTTPClient().perform(HTTPRequest(url: stack.baseURL + "/api/health", totalTimeout: .seconds(20)))
                }
                finished.signal()
            }.start()
            try ServiceStack.waitFor(what: "the health request to wait on the lock") {
                let waiting = try? blocker.query("SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted")
                return ((try? waiting?.first?.decode(Int.self, "n")) ?? 0) > 0
            }
            kill(pid, SIGTERM)
            try ServiceStack.waitFor(what: "FCGIApp to log the signal") { stack.fcgiLog.contains("received SIGTERM") }
            usleep(200_000)
            try blocker.simpleQuery("COMMIT")
            finished.wait()
            return try outcome!.get().status
        }
        #expect(status == 200)
        #expect(await onThread { stack.stopFCGIApp(signal: 0) } == 0)
        #expect(!FileManager.default.fileExists(atPath: stack.socketPath))
    }

    @Test("started by spawn-fcgi, it serves on the socket it finds on fd 0")
    func inheritedSocket() async throws {
        let stack = try await onThread { try ServiceStack(databaseURL: try TestDatabase.url(), launch: .spawnFCGI) }
        defer { stack.shutdown() }
        #expect(try await send(.get, stack.baseURL + "/api/ping").status == 200)
        #expect(try await send(.get, stack.baseURL + "/api/health").status == 200)
        #expect(await onThread { stack.stopFCGIApp(signal: SIGTERM) } == 0)
        #expect(stack.fcgiLog.contains("listening on fd 0"))
    }

    @Test("a second responder on a live socket refuses to start, and the first keeps serving")
    func refusesLiveSocket() async throws {
        let stack = try await onThread { try ServiceStack(databaseURL: try TestDatabase.url()) }
        defer { stack.shutdown() }
        let second = try await onThread {
            try runCommand(Repository.binDirectory + "/FCGIApp", environment: stack.fcgiEnvironment)
        }
        #expect(second.status != 0)
        #expect(second.stderr.contains("in use by another running responder"))
        #expect(try await send(.get, stack.baseURL + "/api/ping").status == 200)
    }

    @Test("bad configuration: one clear line naming the variable, non-zero exit")
    func badConfiguration() async throws {
        let socket = try Repository.temporaryDirectory("cfg") + "/x.sock"
        let cases: [([String: String?], String)] = [
            (["DATABASE_URL": nil], "DATABASE_URL is not set"),
            (["DATABASE_URL": "postgresql://h:notaport/db"], "DATABASE_URL is not a valid connection string"),
            (["DATABASE_URL": "host=x nonsense=1"], "DATABASE_URL is not a valid connection string"),
            (["DATABASE_URL": "postgresql://u@127.0.0.1/db", "FCGI_THREADS": "zero"], "FCGI_THREADS must be an integer"),
            (["DATABASE_URL": "postgresql://u@127.0.0.1/db", "LOG_LEVEL": "chatty"], "LOG_LEVEL must be"),
            (["DATABASE_URL": "postgresql://u@127.0.0.1/db", "FCGI_SOCKET": "nowhere"], "FCGI_SOCKET must be"),
        ]
        for (changes, expected) in cases {
            var changed = changes
            changed["FCGI_SOCKET"] = changed["FCGI_SOCKET"] ?? socket
            let env = changed
            let result = try await onThread { try runCommand(Repository.binDirectory + "/FCGIApp", environment: environment(with: env)) }
            #expect(result.status == 2, "\(changes)")
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(result.stderr)")
            #expect(result.stderr.contains(expected), "\(result.stderr)")
        }
    }
}
