@testable import Access
import Foundation
import Postgres
import Testing
import TestSupport

/// `AdminSessionStore`: random secrets stored only as hashes, idle and absolute expiry, sign-out.
@Suite("Admin session store")
struct AdminSessionStoreTests {
    @Test("secrets come from the kernel's generator eight bytes a draw: any length, and every byte value turns up")
    func randomBytes() {
        for count in [0, 1, 7, 8, 9, 32, 33] { #expect(TokenSecret.randomBytes(count).count == count) }
        var seen = Set<UInt8>()
        var draws = Set<[UInt8]>()
        for _ in 0..<512 {
            let bytes = TokenSecret.randomBytes(32)
            seen.formUnion(bytes)
            draws.insert(bytes)
        }
        // 16,384 bytes: a value missing by chance has odds of about 1 in 10^25.
        #expect(seen.count == 256)
        #expect(draws.count == 512)
        #expect(RandomToken.isWellFormed(RandomToken.generate()))
        #expect(TokenSecret.generate().text.utf8.count == TokenSecret.marker.utf8.count + 43)
    }

    @Test("only the SHA-256 of the secret is stored; the CSRF token is per session; find returns the user")
    func storedHashed() async throws {
        try await AdminStoreFixture.onFreshDatabase { connection in
            let alice = try AdminStoreFixture.user(on: connection)
            let one = try AdminSessionStore.create(userID: alice.id, on: connection)
            let two = try AdminSessionStore.create(userID: alice.id, on: connection)
            #expect(one.secret != two.secret && one.csrfToken != two.csrfToken && one.secret != one.csrfToken)
            #expect(RandomToken.isWellFormed(one.secret) && RandomToken.isWellFormed(one.csrfToken))
            let dump = try connection.query("SELECT string_agg(row_to_json(s)::text, ' ') AS rows FROM admin_sessions s").first?
                .decode(String.self, "rows") ?? ""
            #expect(!dump.isEmpty)
            #expect(!dump.contains(one.secret) && !dump.contains(two.secret))
            #expect(dump.contains(RandomToken.hash(one.secret)))
            let found = try AdminSessionStore.find(secret: one.secret, on: connection)
            #expect(found?.userID == alice.id && found?.username == "alice" && found?.csrfToken == one.csrfToken)
            #expect(try AdminSessionStore.find(secret: RandomToken.hash(one.secret), on: connection) == nil)
            #expect(try AdminSessionStore.find(secret: RandomToken.generate(), on: connection) == nil)
            #expect(try AdminSessionStore.find(secret: "", on: connection) == nil)
            // Absolute end: the policy's lifetime after creation.
            let lifetime = (found?.expiresAt.timeIntervalSince(found?.createdAt ?? Date())) ?? 0
            #expect(abs(lifetime - Double(AdminAuthPolicy().sessionLifetimeSeconds)) < 2)
        }
    }

    @Test("end: the session is refused afterwards, the other stays; ending twice says false")
    func end() async throws {
        try await AdminStoreFixture.onFreshDatabase { connection in
            let alice = try AdminStoreFixture.user(on: connection)
            let one = try AdminSessionStore.create(userID: alice.id, on: connection)
            let two = try AdminSessionStore.create(userID: alice.id, on: connection)
            #expect(try AdminSessionStore.end(secret: one.secret, on: connection))
            #expect(try !AdminSessionStore.end(secret: one.secret, on: connection))
            #expect(try AdminSessionStore.find(secret: one.secret, on: connection) == nil)
            #expect(try AdminSessionStore.find(secret: two.secret, on: connection) != nil)
            #expect(try AdminSessionStore.endAll(userID: alice.id, on: connection) == 1)
            #expect(try AdminSessionStore.find(secret: two.secret, on: connection) == nil)
        }
    }

    @Test("idle too long or past the absolute end: refused; use slides last_seen_at, at most once a minute")
    func expiry() async throws {
        try await AdminStoreFixture.onFreshDatabase { connection in
            let alice = try AdminStoreFixture.user(on: connection)
            let policy = AdminAuthPolicy(sessionIdleSeconds: 600, sessionLifetimeSeconds: 3600)
            let idle = try AdminSessionStore.create(userID: alice.id, policy: policy, on: connection)
            let hash = RandomToken.hash(idle.secret)

            // Seen 5 minutes ago: live, and marked seen now.
            _ = try connection.execute("UPDATE admin_sessions SET last_seen_at = now() - interval '5 minutes' WHERE token_hash = \(hash)")
            let before = Date()
            #expect(try AdminSessionStore.find(secret: idle.secret, policy: policy, on: connection) != nil)
            let seen = try connection.query("SELECT last_seen_at FROM admin_sessions WHERE token_hash = \(hash)").first?.decode(Date.self, "last_seen_at")
            #expect((seen ?? .distantPast) >= before.addingTimeInterval(-1))

            // Seen 20 seconds ago: live, and not written again.
            _ = try connection.execute("UPDATE admin_sessions SET last_seen_at = now() - interval '20 seconds' WHERE token_hash = \(hash)")
            let pinned = try connection.query("SELECT last_seen_at FROM admin_sessions WHERE token_hash = \(hash)").first?.decode(Date.self, "last_seen_at")
            #expect(try AdminSessionStore.find(secret: idle.secret, policy: policy, on: connection) != nil)
            let after = try connection.query("SELECT last_seen_at FROM admin_sessions WHERE token_hash = \(hash)").first?.decode(Date.self, "last_seen_at")
            #expect(after == pinned)

            // Idle 11 minutes under a 10-minute idle timeout: refused (and not revived).
            _ = try connection.execute("UPDATE admin_sessions SET last_seen_at = now() - interval '11 minutes' WHERE token_hash = \(hash)")
            #expect(try AdminSessionStore.find(secret: idle.secret, policy: policy, on: connection) == nil)
            #expect(try AdminSessionStore.find(secret: idle.secret, policy: policy, on: connection) == nil)
            // The default policy (8 hours idle) would still take it.
            #expect(try AdminSessionStore.find(secret: idle.secret, on: connection) != nil)

            // Active but past its absolute end: refused.
            let old = try AdminSessionStore.create(userID: alice.id, policy: policy, on: connection)
            _ = try connection.execute(
                "UPDATE admin_sessions SET expires_at = now() - interval '1 second' WHERE token_hash = \(RandomToken.hash(old.secret))")
            #expect(try AdminSessionStore.find(secret: old.secret, policy: policy, on: connection) == nil)

            // Purge drops sessions long ended or expired, and keeps live ones.
            _ = try connection.execute(
                "UPDATE admin_sessions SET expires_at = now() - interval '30 days' WHERE token_hash = \(RandomToken.hash(old.secret))")
            #expect(try AdminSessionStore.purge(on: connection) == 1)
            #expect(try connection.query("SELECT count(*) AS n FROM admin_sessions").first?.decode(Int.self, "n") == 1)
        }
    }
}
