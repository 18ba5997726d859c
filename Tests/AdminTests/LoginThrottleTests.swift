import Access
import Foundation
import Postgres
import Testing
import TestSupport

/// `LoginThrottle`: failures counted per user name and per address within the window; a try
/// counts from the moment it begins.
@Suite("Admin login throttle")
struct LoginThrottleTests {
    /// A try that fails: it must be allowed, and stays recorded.
    static func fail(_ username: String, _ address: String, _ policy: AdminAuthPolicy, _ connection: PostgresConnection) throws {
        let attempt = try LoginThrottle.begin(username: username, address: address, policy: policy, on: connection)
        #expect(attempt.retryAfter == nil, "\(username) from \(address) was refused")
    }

    /// How long a try would wait now, leaving nothing recorded.
    static func wait(_ username: String, _ address: String, _ policy: AdminAuthPolicy, _ connection: PostgresConnection) throws -> Int? {
        let attempt = try LoginThrottle.begin(username: username, address: address, policy: policy, on: connection)
        try LoginThrottle.withdraw(attempt, on: connection)
        return attempt.retryAfter
    }

    @Test("per user name (regardless of case) and per address; the wait ends when the window passes; clear forgets the name")
    func limits() async throws {
        try await AdminStoreFixture.onFreshDatabase { connection in
            let policy = AdminAuthPolicy(maxFailuresPerUser: 3, maxFailuresPerAddress: 5, failureWindowSeconds: 600)
            let fail = { (name: String, address: String) in try LoginThrottleTests.fail(name, address, policy, connection) }
            let wait = { (name: String, address: String) in try LoginThrottleTests.wait(name, address, policy, connection) }
            for _ in 0..<2 { try fail("Alice", "10.0.0.1") }
            #expect(try wait("alice", "10.0.0.1") == nil)
            try fail("alice", "10.0.0.2")
            let blocked = try wait("ALICE", "10.0.0.9")
            #expect((blocked ?? 0) >= 1 && (blocked ?? 0) <= 600, "\(String(describing: blocked))")
            // Another name from the first address is not blocked yet (2 of 5).
            #expect(try wait("bob", "10.0.0.1") == nil)

            // Move the oldest failure back: the wait is until the 3rd newest leaves the window.
            _ = try connection.execute(
                "UPDATE admin_login_failures SET failed_at = now() - interval '570 seconds' WHERE id = (SELECT min(id) FROM admin_login_failures)")
            let shorter = try wait("alice", "x") ?? 0
            #expect(shorter >= 1 && shorter <= 30 && shorter < (blocked ?? 0), "\(shorter)")
            _ = try connection.execute("UPDATE admin_login_failures SET failed_at = now() - interval '601 seconds' WHERE id = (SELECT min(id) FROM admin_login_failures)")
            #expect(try wait("alice", "x") == nil)

            // Per address: 5 failures from one address under any names block every name there.
            for name in ["c1", "c2", "c3", "c4", "c5"] { try fail(name, "10.0.0.5") }
            #expect(try wait("someone", "10.0.0.5") != nil)
            #expect(try wait("someone", "10.0.0.3") == nil)

            // Clearing a name forgets its failures but not the address's.
            try fail("alice", "10.0.0.4")
            #expect(try wait("alice", "10.0.0.8") != nil)
            try LoginThrottle.clear(username: "ALICE", on: connection)
            #expect(try wait("alice", "10.0.0.8") == nil)
            #expect(try wait("alice", "10.0.0.5") != nil)

            // A try prunes failures older than the window.
            _ = try connection.execute("UPDATE admin_login_failures SET failed_at = now() - interval '2 hours'")
            try fail("z", "z")
            #expect(try connection.query("SELECT count(*) AS n FROM admin_login_failures").first?.decode(Int.self, "n") == 1)
        }
    }

    @Test("a try still checking its password counts against the next ones (parallel sign-ins cannot pass the limit together)")
    func inProgressCounts() async throws {
        try await AdminStoreFixture.onFreshDatabase { connection in
            let policy = AdminAuthPolicy(maxFailuresPerUser: 2, maxFailuresPerAddress: 100, failureWindowSeconds: 600)
            // Two tries begin (each on its own responder thread in real life) before either ends.
            let first = try LoginThrottle.begin(username: "alice", address: "a", policy: policy, on: connection)
            let second = try LoginThrottle.begin(username: "alice", address: "b", policy: policy, on: connection)
            #expect(first.retryAfter == nil && second.retryAfter == nil)
            // The third, while both are still in progress, must wait.
            let third = try LoginThrottle.begin(username: "alice", address: "c", policy: policy, on: connection)
            #expect(third.retryAfter != nil)
            // A refused try is taken back: it does not lengthen the block.
            try LoginThrottle.withdraw(third, on: connection)
            #expect(try connection.query("SELECT count(*) AS n FROM admin_login_failures").first?.decode(Int.self, "n") == 2)
            // One of the two succeeds: the name's failures go, so the next try may go on.
            try LoginThrottle.clear(username: "alice", on: connection)
            #expect(try LoginThrottleTests.wait("alice", "c", policy, connection) == nil)
        }
    }
}
