import Foundation
import Postgres
import Testing
import TestSupport

/// `TaskRunner token create|list|revoke`: printed once, stored hashed, refused after revoke.
@Suite("TaskRunner token commands")
struct TokenCommandTests {
    @Test("create prints a token once and stores only its hash; list shows the prefix; revoke ends it")
    func lifecycle() async throws {
        let url = try await TestDatabase.fresh()
        try await onThread {
            let created = try taskRunner(["token", "create", "ci-bot"], databaseURL: url)
            #expect(created.status == 0, "\(created.stderr)")
            let secret = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(secret.hasPrefix("wst_") && secret.count == 47, "\(secret)")
            let connection = try PostgresConnection(conninfo: url)
            let stored = try connection.query("SELECT token_hash, prefix FROM api_tokens WHERE name = 'ci-bot'")
            let hash = try stored.first?.decode(String.self, "token_hash") ?? ""
            #expect(hash.count == 64 && !hash.contains(secret) && hash != secret)
            let dump = try connection.query("SELECT row_to_json(t)::text AS row FROM api_tokens t").first?.decode(String.self, "row") ?? ""
            #expect(!dump.contains(secret))
            let again = try taskRunner(["token", "create", "ci-bot"], databaseURL: url)
            #expect(again.status == 2)
            #expect(again.stderr.contains("already named ci-bot"))
            let list = try taskRunner(["token", "list"], databaseURL: url)
            #expect(list.stdout.contains("ci-bot"))
            #expect(list.stdout.contains(String(secret.prefix(12))))
            #expect(!list.stdout.contains(secret))
            let revoke = try taskRunner(["token", "revoke", "ci-bot"], databaseURL: url)
            #expect(revoke.status == 0)
            let revokeAgain = try taskRunner(["token", "revoke", "ci-bot"], databaseURL: url)
            #expect(revokeAgain.status == 2)
            let bad = try taskRunner(["token", "create", "bad name!"], databaseURL: url)
            #expect(bad.status == 2)
            #expect(bad.stderr.contains("invalid token name"))
        }
    }
}
