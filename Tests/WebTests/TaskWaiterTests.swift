import Foundation
import Jobs
import Postgres
import Testing
import TestSupport
import Web

/// `JobWaiter` on a real Postgres: woken by the done notification, bounded, and woken after its
/// listener reconnects even when the notification was lost.
@Suite("JobWaiter")
struct TaskWaiterTests {
    private static func insertJob(_ connection: PostgresConnection) throws -> Int {
        try connection.query("INSERT INTO jobs (task) VALUES ('test_task') RETURNING id").first!.decode(Int.self, "id")
    }

    static func finish(_ id: Int, on connection: PostgresConnection, notify: Bool) throws {
        try connection.transaction { connection in
            _ = try connection.execute("UPDATE jobs SET state = 'succeeded', finished_at = now() WHERE id = \(id)")
            if notify { try connection.notify(JobQueue.finishedJobsChannel, payload: "0,\(id)") }
        }
    }

    /// Whether the waiter's listener is connected to `database` (by application name).
    static func listenerPIDs(_ admin: PostgresConnection, database: String) throws -> [Int] {
        try admin.query(
            "SELECT pid FROM pg_stat_activity WHERE application_name = 'fcgiapp-waiter' AND datname = \(database)"
        ).map { try $0.decode(Int.self, "pid") }
    }

    @Test("a wait ends when the job's id is announced; the bound refuses a second concurrent wait")
    func notifiedAndBounded() async throws {
        let url = try await TestDatabase.fresh()
        try await onThread {
            let connection = try PostgresConnection(conninfo: url)
            let database = try connection.query("SELECT current_database() AS d").first!.decode(String.self, "d")
            let waiter = JobWaiter(databaseURL: url, maxWaiters: 1, safetyInterval: .seconds(120))
            waiter.start()
            defer { waiter.stop() }
            try eventually("the listener to connect") { try !Self.listenerPIDs(connection, database: database).isEmpty }
            let id = try Self.insertJob(connection)
            let result = TaskWaiterBox<JobWaiter.Outcome?>(nil)
            let thread = Thread {
                let reader = try! PostgresConnection(conninfo: url)
                result.set(try? waiter.wait(for: id, timeout: .seconds(120)) { try JobQueue(registry: TaskRegistry()).job(id, on: reader) })
            }
            thread.start()
            try eventually("the wait to be registered") { waiter.activeWaits == 1 }
            let refused = try waiter.wait(for: id, timeout: .seconds(30)) { try JobQueue(registry: TaskRegistry()).job(id, on: connection) }
            #expect(refused.limited)
            #expect(refused.granted == .zero)
            #expect(refused.job?.state == .queued)

            try Self.finish(id, on: connection, notify: true)
            try eventually("the wait to end") { result.get() != nil }
            let outcome = try #require(result.get())
            #expect(outcome.job?.state == .succeeded)
            #expect(!outcome.limited)
            #expect(waiter.activeWaits == 0)
        }
    }

    @Test("after its listener connection is killed, the waiter reconnects and wakes every waiter to re-read")
    func wakesAfterReconnect() async throws {
        let url = try await TestDatabase.fresh()
        try await onThread {
            let connection = try PostgresConnection(conninfo: url)
            let database = try connection.query("SELECT current_database() AS d").first!.decode(String.self, "d")
            let waiter = JobWaiter(databaseURL: url, maxWaiters: 4, safetyInterval: .seconds(120))
            waiter.start()
            defer { waiter.stop() }
            try eventually("the listener to connect") { try !Self.listenerPIDs(connection, database: database).isEmpty }
            let id = try Self.insertJob(connection)
            let result = TaskWaiterBox<JobWaiter.Outcome?>(nil)
            let thread = Thread {
                let reader = try! PostgresConnection(conninfo: url)
                result.set(try? waiter.wait(for: id, timeout: .seconds(120)) { try JobQueue(registry: TaskRegistry()).job(id, on: reader) })
            }
            thread.start()
            try eventually("the wait to be registered") { waiter.activeWaits == 1 }
            let old = try Self.listenerPIDs(connection, database: database)
            // Kill the listener and finish the job without a notification: only the wake-up
            // after the reconnect can end this wait before its 120 s.
            for pid in old { _ = try connection.query("SELECT pg_terminate_backend(\(pid)::int)") }
            try Self.finish(id, on: connection, notify: false)
            try eventually("the wait to end after the reconnect") { result.get() != nil }
            #expect(result.get()?.job?.state == .succeeded)
            // The waiter may wake its waiters as soon as it sees the connection gone; its new
            // listener comes up within the next second or so.
            try eventually("the listener to be back on a new connection") {
                let now = try Self.listenerPIDs(connection, database: database)
                return !now.isEmpty && Set(now).isDisjoint(with: old)
            }
        }
    }
}

/// A value shared between test threads.
final class TaskWaiterBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func get() -> Value { lock.withLock { value } }
    func set(_ newValue: Value) { lock.withLock { value = newValue } }
}
