import Postgres
import Testing
import TestSupport

@Suite("Postgres reconnects a broken connection")
struct PostgresReconnectTests {
    /// Terminates `pid`'s session from another connection and waits until it is gone.
    static func terminate(_ pid: Int32) throws {
        let admin = try TestDatabase.connect(applicationName: "tests-admin")
        try admin.execute("SELECT pg_terminate_backend(\(pid))")
        for _ in 0..<200 {
            let alive = try admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = \(pid)")
            if try alive.first?.decode(Int.self, "n") == 0 { return }
            try admin.execute("SELECT pg_sleep(0.01)")
        }
        throw HarnessError("backend \(pid) did not go away")
    }

    @Test("after pg_terminate_backend the next statement reconnects and succeeds")
    func reconnectAfterTerminate() async throws {
        try await onThread {
            let db = try TestDatabase.connect()
            let before = db.serverProcessID
            try PostgresReconnectTests.terminate(before)
            let row = try #require(try db.query("SELECT 41 + 1 AS answer").first)
            #expect(try row.decode(Int.self, "answer") == 42)
            #expect(db.serverProcessID != before)
            #expect(db.connectCount == 2)
        }
    }

    @Test("ping answers on a live session and reconnects once after pg_terminate_backend")
    func pingReconnects() async throws {
        try await onThread {
            let db = try TestDatabase.connect()
            try db.ping()
            let before = db.serverProcessID
            try PostgresReconnectTests.terminate(before)
            try db.ping()
            #expect(db.serverProcessID != before)
            #expect(db.connectCount == 2)
            // The session is usable after a ping: nothing was left unread on it.
            #expect(try db.query("SELECT 7 AS seven").first?.decode(Int.self, "seven") == 7)
        }
    }

    @Test("a connection lost inside a transaction fails the transaction, then recovers")
    func lostInsideTransaction() async throws {
        try await onThread {
            let db = try TestDatabase.connect()
            let error = #expect(throws: PostgresError.self) {
                try db.transaction { tx in
                    try PostgresReconnectTests.terminate(tx.serverProcessID)
                    try tx.execute("SELECT 1")
                }
            }
            #expect(error?.isConnectionFailure == true)
            #expect(!db.inTransaction)
            #expect(try db.query("SELECT 1 AS one").first?.decode(Int.self, "one") == 1)
        }
    }
}

@Suite("Postgres LISTEN/NOTIFY")
struct PostgresNotificationTests {
    static func channel() -> String { "test_\(UInt32.random(in: 0...UInt32.max))" }

    @Test("a notification wakes a listener; a quiet channel times out empty")
    func notifyAndTimeout() async throws {
        try await onThread {
            let channel = PostgresNotificationTests.channel()
            let listener = try TestDatabase.connect()
            let sender = try TestDatabase.connect()
            try listener.listen(channel)
            #expect(try listener.waitForNotifications(timeout: .milliseconds(50)).isEmpty)
            try sender.notify(channel, payload: "job 7")
            let received = try listener.waitForNotifications(timeout: .seconds(5))
            #expect(received.map(\.payload) == ["job 7"])
            #expect(received.first?.channel == channel)
            #expect(received.first?.senderProcessID == sender.serverProcessID)
        }
    }

    @Test("a notification sent in a transaction arrives only when it commits")
    func deliveredAtCommit() async throws {
        try await onThread {
            let channel = PostgresNotificationTests.channel()
            let listener = try TestDatabase.connect()
            let sender = try TestDatabase.connect()
            try listener.listen(channel)
            try sender.transaction { tx in
                try tx.notify(channel, payload: "inside")
                #expect(try listener.waitForNotifications(timeout: .milliseconds(100)).isEmpty)
            }
            #expect(try listener.waitForNotifications(timeout: .seconds(5)).map(\.payload) == ["inside"])
        }
    }

    @Test("a listener whose session dies reports it, then reconnects and listens again")
    func listenSurvivesTermination() async throws {
        try await onThread {
            let channel = PostgresNotificationTests.channel()
            let listener = try TestDatabase.connect()
            let sender = try TestDatabase.connect()
            try listener.listen(channel)
            try PostgresReconnectTests.terminate(listener.serverProcessID)
            let error = #expect(throws: PostgresError.self) { try listener.waitForNotifications(timeout: .seconds(5)) }
            #expect(error?.isConnectionFailure == true)
            // The next wait reconnects and renews the LISTEN.
            #expect(try listener.waitForNotifications(timeout: .milliseconds(20)).isEmpty)
            try sender.notify(channel, payload: "after")
            #expect(try listener.waitForNotifications(timeout: .seconds(5)).map(\.payload) == ["after"])
        }
    }
}
