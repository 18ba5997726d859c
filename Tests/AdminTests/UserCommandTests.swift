import Access
import Foundation
import Postgres
import Testing
import TestSupport

/// `TaskRunner user create|list|password|disable|enable|delete`: passwords from standard input,
/// never printed, stored as yescrypt hashes.
@Suite("TaskRunner user commands")
struct UserCommandTests {
    @Test("create reads the password from standard input and refuses a short one; list, password, disable, delete")
    func lifecycle() async throws {
        let url = try await TestDatabase.fresh()
        try await onThread {
            let password = "correct horse battery"
            let created = try taskRunner(["user", "create", "Alice"], databaseURL: url, stdin: password + "\n")
            #expect(created.status == 0, "\(created.stderr)")
            #expect(created.stdout.contains("created admin user Alice"))
            #expect(!created.stdout.contains(password) && !created.stderr.contains(password))
            let connection = try PostgresConnection(conninfo: url)
            #expect(try AdminUserStore.authenticate(username: "alice", password: password, on: connection) != nil)
            let hash = try connection.query("SELECT password_hash FROM admin_users").first?.decode(String.self, "password_hash") ?? ""
            #expect(hash.hasPrefix("$y$") && !hash.contains(password))

            let short = try taskRunner(["user", "create", "bob"], databaseURL: url, stdin: "short\n")
            #expect(short.status == 2)
            #expect(short.stderr.contains("at least 10 characters"), "\(short.stderr)")
            #expect(!short.stderr.contains("short\n") && !short.stdout.contains("short"))
            let none = try taskRunner(["user", "create", "bob"], databaseURL: url, stdin: "")
            #expect(none.status == 2)
            #expect(none.stderr.contains("no password on standard input"))
            let taken = try taskRunner(["user", "create", "ALICE"], databaseURL: url, stdin: "another long password\n")
            #expect(taken.status == 2)
            #expect(taken.stderr.contains("already exists"))
            let badName = try taskRunner(["user", "create", "bad name"], databaseURL: url, stdin: password + "\n")
            #expect(badName.status == 2)
            #expect(try AdminUserStore.list(on: connection).map(\.username) == ["Alice"])

            let list = try taskRunner(["user", "list", "--json"], databaseURL: url)
            #expect(list.status == 0)
            let users = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]]
            #expect(users?.count == 1 && users?.first?["username"] as? String == "Alice")
            #expect(!list.stdout.contains("$y$"))
            let table = try taskRunner(["user", "list"], databaseURL: url)
            #expect(table.stdout.contains("NAME") && table.stdout.contains("Alice"))

            // A new password ends the user's sessions.
            let alice = try #require(try AdminUserStore.find(username: "alice", on: connection))
            let session = try AdminSessionStore.create(userID: alice.id, on: connection)
            let changed = try taskRunner(["user", "password", "alice"], databaseURL: url, stdin: "a brand new password\r\n")
            #expect(changed.status == 0, "\(changed.stderr)")
            #expect(changed.stdout.contains("ended 1 session"))
            #expect(try AdminSessionStore.find(secret: session.secret, on: connection) == nil)
            #expect(try AdminUserStore.authenticate(username: "alice", password: "a brand new password", on: connection) != nil)
            let tooShort = try taskRunner(["user", "password", "alice"], databaseURL: url, stdin: "123\n")
            #expect(tooShort.status == 2)
            let unknown = try taskRunner(["user", "password", "nobody"], databaseURL: url, stdin: "a brand new password\n")
            #expect(unknown.status == 2)
            #expect(unknown.stderr.contains("no admin user is named nobody"))

            #expect(try taskRunner(["user", "disable", "alice"], databaseURL: url).status == 0)
            #expect(try AdminUserStore.authenticate(username: "alice", password: "a brand new password", on: connection) == nil)
            #expect(try taskRunner(["user", "enable", "alice"], databaseURL: url).status == 0)
            #expect(try AdminUserStore.authenticate(username: "alice", password: "a brand new password", on: connection) != nil)

            let deleted = try taskRunner(["user", "delete", "alice"], databaseURL: url)
            #expect(deleted.status == 0)
            #expect(try AdminUserStore.list(on: connection).isEmpty)
            let again = try taskRunner(["user", "delete", "alice"], databaseURL: url)
            #expect(again.status == 2)
        }
    }

    @Test("no user exists after migrate, and an unreachable database exits 3")
    func defaults() async throws {
        let url = try await TestDatabase.fresh()
        try await onThread {
            let list = try taskRunner(["user", "list", "--json"], databaseURL: url)
            #expect(list.status == 0)
            #expect(list.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
            let port = closedLocalPort()
            let down = try taskRunner(
                ["user", "create", "alice"], databaseURL: "postgresql://u:p@127.0.0.1:\(port)/db?connect_timeout=2",
                stdin: "correct horse battery\n")
            #expect(down.status == 3, "\(down.stderr)")
        }
    }
}
