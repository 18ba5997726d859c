import AppSupport
import Foundation
import Jobs
import Postgres
import Storage
import Tasks
import Testing
import TestSupport

@Suite("Daemon resilience")
struct ResilienceTests {
    @Test("three daemons drain 10,000 jobs: each runs exactly once")
    func threeDaemonsExactlyOnce() async throws {
        let name = Fixture.uniqueQueue("drain")
        try await onThread {
            let db = try TestDatabase.connect()
            let ids = try Fixture.queue.enqueueBatch(
                (0..<10_000).map { EnqueueRequest(task: "test_task", args: ["message": .string("m\($0)")], queue: name) }, on: db)
            #expect(ids.count == 10_000)
            let daemons = try (0..<3).map { _ in
                try DaemonProcess(databaseURL: try TestDatabase.url(), arguments: Fixture.daemonArguments(name, concurrency: 4))
            }
            try eventually("10,000 jobs to succeed", seconds: 120) { try Fixture.counts(name, on: db) == ["succeeded": 10_000] }
            let stats = try #require(try db.query("""
                SELECT count(*)::int AS jobs, max(attempts)::int AS max_attempts, count(DISTINCT worker)::int AS workers,
                       (SELECT count(*)::int FROM job_attempts a JOIN jobs j ON j.id = a.job_id WHERE j.queue = \(name)) AS attempts
                FROM jobs WHERE queue = \(name)
                """).first)
            #expect(try stats.decode(Int.self, "jobs") == 10_000)
            #expect(try stats.decode(Int.self, "max_attempts") == 1)
            #expect(try stats.decode(Int.self, "attempts") == 10_000)
            #expect(try stats.decode(Int.self, "workers") >= 2)
            for daemon in daemons { #expect(daemon.stop() == 0) }
        }
    }

    @Test("kill -9 of a daemon mid-job: another daemon rescues the job, which then finishes")
    func rescueAfterKill() async throws {
        let name = Fixture.uniqueQueue("rescue")
        try await onThread {
            let db = try TestDatabase.connect()
            let rescueArgs = ["--rescue-after", "2"]
            let victim = try DaemonProcess(databaseURL: try TestDatabase.url(), arguments: Fixture.daemonArguments(name, extra: rescueArgs))
            let id = try Fixture.enqueue(db, name, args: ["sleep_ms": 3000, "message": "survivor"])
            try eventually("the job to start") { try Fixture.queue.job(id, on: db)?.state == .running }
            let lostWorker = try Fixture.queue.job(id, on: db)?.worker
            #expect(victim.stop(signal: SIGKILL) == 128 + SIGKILL)
            let rescuer = try DaemonProcess(databaseURL: try TestDatabase.url(), arguments: Fixture.daemonArguments(name, extra: rescueArgs))
            try eventually("the rescued job to succeed", seconds: 30) { try Fixture.queue.job(id, on: db)?.state == .succeeded }
            let job = try #require(try Fixture.queue.job(id, on: db))
            #expect(job.attempts == 2)
            #expect(job.worker != lostWorker)
            let history = try Fixture.queue.attempts(of: id, on: db)
            #expect(history.map(\.outcome) == ["lost", "succeeded"])
            #expect(history.first?.worker == lostWorker)
            #expect(rescuer.stop() == 0)
        }
    }

    @Test("SIGTERM during long jobs: exits 0 and hands them back without counting the attempt")
    func sigtermHandsBack() async throws {
        let name = Fixture.uniqueQueue("sigterm")
        try await onThread {
            let db = try TestDatabase.connect()
            let daemon = try DaemonProcess(
                databaseURL: try TestDatabase.url(), arguments: Fixture.daemonArguments(name, concurrency: 2) + ["--grace", "0.5"])
            let ids = try (0..<4).map { _ in try Fixture.enqueue(db, name, args: ["sleep_ms": 30_000]) }
            try eventually("two jobs to run") { try Fixture.counts(name, on: db)["running", default: 0] >= 2 }
            #expect(daemon.stop(signal: SIGTERM) == 0)
            #expect(daemon.log.contains("received SIGTERM"))
            for id in ids {
                let job = try #require(try Fixture.queue.job(id, on: db))
                #expect(job.state == .queued)
                #expect(job.attempts == 0)
            }
            // Another daemon picks them up (and SIGINT works the same).
            let next = try DaemonProcess(databaseURL: try TestDatabase.url(), arguments: Fixture.daemonArguments(name, concurrency: 4) + ["--grace", "0.2"])
            try eventually("the jobs to run again") { try Fixture.counts(name, on: db)["running", default: 0] == 4 }
            #expect(next.stop(signal: SIGINT) == 0)
            #expect(try Fixture.counts(name, on: db) == ["queued": 4])
        }
    }

    @Test("Postgres restarted while the daemon waits and while it works: every job still finishes")
    func databaseRestart() async throws {
        try await onThread {
            let cluster = try DisposableCluster()
            defer { cluster.destroy() }
            let db = try PostgresConnection(conninfo: cluster.databaseURL)
            try Migrator(connection: db).migrate()
            let daemon = try DaemonProcess(databaseURL: cluster.databaseURL, arguments: Fixture.daemonArguments("default", concurrency: 4))
            try eventually("the daemon to register") { try !db.query("SELECT 1 FROM workers WHERE stopped_at IS NULL").isEmpty }

            // While it waits: restart, then enqueue; the daemon reconnects and LISTENs again.
            try cluster.stop()
            usleep(300_000)
            try cluster.start()
            let first = try Fixture.queue.enqueueBatch((0..<50).map { _ in EnqueueRequest(task: "test_task") }, on: db)
            try eventually("jobs enqueued after the restart to succeed") {
                try db.query("SELECT count(*)::int AS n FROM jobs WHERE state = 'succeeded'").first?.decode(Int.self, "n") == first.count
            }

            // While it works: restart in the middle of a run of slower jobs.
            let second = try Fixture.queue.enqueueBatch(
                (0..<200).map { _ in EnqueueRequest(task: "test_task", args: ["sleep_ms": 20]) }, on: db)
            try eventually("some of the second batch to finish") {
                try db.query("SELECT count(*)::int AS n FROM jobs WHERE state = 'succeeded'").first?.decode(Int.self, "n") ?? 0 > first.count + 10
            }
            try cluster.stop()
            usleep(500_000)
            try cluster.start()
            try eventually("every job to succeed", seconds: 90) {
                try db.query("SELECT count(*)::int AS n FROM jobs WHERE state = 'succeeded'").first?.decode(Int.self, "n")
                    == first.count + second.count
            }
            #expect(daemon.stop() == 0)
        }
    }
}
