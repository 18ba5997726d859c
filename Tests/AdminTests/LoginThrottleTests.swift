import Access
import Foundation
import Postgres
import Testing
import TestSupport

/// `LoginThrottle`: failures counted per user name and per address within the window.
@Suite("Admin login throttle")
struct LoginThrottleTests {
    @Test("per user name (regardless of case) and per address; the wait ends when the window passes; clear forgets the name")
    func limits() async throws {
        let url = try TestDatabase.fresh()
        try await onThread {
            let connection = try PostgresConnection(conninfo: url)
            let policy = AdminAuthPolicy(maxFailuresPerUser: 3, maxFailuresPerAddress: 5, failureWindowSeconds: 600)
            for _ in 0..<2 { try LoginThrottle.recordFailure(username: "Alice", address: "10.0.0.1", policy: policy, on: connection) }
            #expect(try LoginThrottle.retryAfter(username: "alice", address: "10.0.0.1", policy: policy, on: connection) == nil)
            try LoginThrottle.recordFailure(username: "alice", address: "10.0.0.2", policy: policy, on: connection)
            let wait = try LoginThrottle.retryAfter(username: "ALICE", address: "10.0.0.9", policy: policy, on: connection)
            #expect((wait ?? 0) >= 1 && (wait ?? 0) <= 600, "\(String(describing: wait))")
            // Another name from the first address is not blocked yet (2 of 5).
            #expect(try LoginThrottle.retryAfter(username: "bob", address: "10.0.0.1", policy: policy, on: connection) == nil)

            // Move the oldest failure back: the wait is until the 3rd newest leaves the window.
            _ = try connection.execute(
                "UPDATE admin_login_failures SET failed_at = now() - interval '570 seconds' WHERE id = (SELECT min(id) FROM admin_login_failures)")
            let shorter = try LoginThrottle.retryAfter(username: "alice", address: "x", policy: policy, on: connection) ?? 0
            #expect(shorter >= 1 && shorter <= 30 && shorter < (wait ?? 0), "\(shorter)")
            _ = try connection.execute("UPDATE admin_login_failures SET failed_at = now() - interval '601 seconds' WHERE id = (SELECT min(id) FROM admin_login_failures)")
            #expect(try LoginThrottle.retryAfter(username: "alice", address: "x", policy: policy, on: connection) == nil)

            // Per address: 5 failures from one address under any names block every name there.
            for name in ["c1", "c2", "c3", "c4", "c5"] { try LoginThrottle.recordFailure(username: name, address: "10.0.0.1", policy: policy, on: connection) }
            #expect(try LoginThrottle.retryAfter(username: "someone", address: "10.0.0.1", policy: policy, on: connection) != nil)
            #expect(try LoginThrottle.retryAfter(username: "someone", address: "10.0.0.3", policy: policy, on: connection) == nil)

            // Clearing a name forgets its failures but not the address's.
            try LoginThrottle.recordFailure(username: "alice", address: "10.0.0.4", policy: policy, on: connection)
            #expect(try LoginThrottle.retryAfter(username: "alice", address: "10.0.0.8", policy: policy, on: connection) != nil)
            try LoginThrottle.clear(username: "ALICE", on: connection)
            #expect(try LoginThrottle.retryAfter(username: "alice", address: "10.0.0.8", policy: policy, on: connection) == nil)
            #expect(try LoginThrottle.retryAfter(username: "alice", address: "10.0.0.1", policy: policy, on: connection) != nil)

            // Recording prunes failures older than the window.
            _ = try connection.execute("UPDATE admin_login_failures SET failed_at = now() - interval '2 hours'")
            try LoginThrottle.recordFailure(username: "z", address: "z", policy: policy, on: connection)
            #expect(try connection.query("SELECT count(*) AS n FROM admin_login_failures").first?.decode(Int.self, "n") == 1)
        }
    }
}
