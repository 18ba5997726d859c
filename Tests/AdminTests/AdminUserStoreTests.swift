import Access
import Foundation
import Postgres
import Testing
import TestSupport

/// `AdminUserStore`: unique names regardless of case, sign-in, password changes, delete, disable.
@Suite("Admin user store")
struct AdminUserStoreTests {
    @Test("names are unique regardless of case; bad names and short passwords are refused; the hash is yescrypt")
    func create() async throws {
        try await AdminStoreFixture.onFreshDatabase { connection in
            let alice = try AdminStoreFixture.user("Alice", on: connection)
            #expect(alice.username == "Alice" && alice.lastLoginAt == nil && alice.disabledAt == nil)
            #expect(throws: AdminUserError.nameTaken("alice")) {
                try AdminUserStore.create(username: "alice", password: "another password", on: connection)
            }
            #expect(throws: AdminUserError.nameTaken("ALICE")) {
                try AdminUserStore.create(username: "ALICE", password: "another password", on: connection)
            }
            #expect(throws: AdminUserError.invalidName("bad name")) {
                try AdminUserStore.create(username: "bad name", password: "another password", on: connection)
            }
            #expect(throws: AdminUserError.unacceptablePassword(.tooShort(minimum: 10))) {
                try AdminUserStore.create(username: "bob", password: "short", on: connection)
            }
            #expect(try AdminUserStore.list(on: connection).map(\.username) == ["Alice"])
            #expect(try AdminUserStore.find(username: "aLiCe", on: connection)?.id == alice.id)
            let stored = try connection.query("SELECT password_hash FROM admin_users").first?.decode(String.self, "password_hash") ?? ""
            #expect(stored.hasPrefix("$y$") && !stored.contains("correct horse"))
        }
    }

    @Test("authenticate: right password in any name case; wrong password, unknown and disabled users refused")
    func authenticate() async throws {
        try await AdminStoreFixture.onFreshDatabase { connection in
            let alice = try AdminStoreFixture.user(on: connection)
            let signedIn = try AdminUserStore.authenticate(username: "ALICE", password: AdminStoreFixture.password, on: connection)
            #expect(signedIn?.id == alice.id)
            #expect(signedIn?.lastLoginAt != nil)
            #expect(try AdminUserStore.authenticate(username: "alice", password: "correct horse batter", on: connection) == nil)
            #expect(try AdminUserStore.authenticate(username: "nobody", password: AdminStoreFixture.password, on: connection) == nil)
            #expect(try AdminUserStore.authenticate(username: "bad name!", password: AdminStoreFixture.password, on: connection) == nil)
            try AdminUserStore.setDisabled(true, username: "alice", on: connection)
            #expect(try AdminUserStore.authenticate(username: "alice", password: AdminStoreFixture.password, on: connection) == nil)
            try AdminUserStore.setDisabled(false, username: "alice", on: connection)
            #expect(try AdminUserStore.authenticate(username: "alice", password: AdminStoreFixture.password, on: connection) != nil)
        }
    }

    @Test("a new password replaces the old one and ends the sessions; deleting or disabling ends them too")
    func changes() async throws {
        try await AdminStoreFixture.onFreshDatabase { connection in
            let alice = try AdminStoreFixture.user(on: connection)
            let first = try AdminSessionStore.create(userID: alice.id, on: connection)
            #expect(try AdminUserStore.list(on: connection).first?.openSessions == 1)
            #expect(try AdminUserStore.setPassword(username: "Alice", password: "a brand new password", on: connection) == 1)
            #expect(try AdminSessionStore.find(secret: first.secret, on: connection) == nil)
            #expect(try AdminUserStore.authenticate(username: "alice", password: AdminStoreFixture.password, on: connection) == nil)
            #expect(try AdminUserStore.authenticate(username: "alice", password: "a brand new password", on: connection) != nil)
            #expect(throws: AdminUserError.unacceptablePassword(.empty)) {
                try AdminUserStore.setPassword(username: "alice", password: "", on: connection)
            }
            #expect(throws: AdminUserError.unknownUser("nobody")) {
                try AdminUserStore.setPassword(username: "nobody", password: "a brand new password", on: connection)
            }

            let second = try AdminSessionStore.create(userID: alice.id, on: connection)
            #expect(try AdminUserStore.setDisabled(true, username: "alice", on: connection) == 1)
            #expect(try AdminSessionStore.find(secret: second.secret, on: connection) == nil)
            try AdminUserStore.setDisabled(false, username: "alice", on: connection)
            // Enabling again does not bring an ended session back.
            #expect(try AdminSessionStore.find(secret: second.secret, on: connection) == nil)

            let third = try AdminSessionStore.create(userID: alice.id, on: connection)
            try AdminUserStore.delete(username: "ALICE", on: connection)
            #expect(try AdminSessionStore.find(secret: third.secret, on: connection) == nil)
            #expect(try connection.query("SELECT count(*) AS n FROM admin_sessions").first?.decode(Int.self, "n") == 0)
            #expect(throws: AdminUserError.unknownUser("alice")) { try AdminUserStore.delete(username: "alice", on: connection) }
        }
    }
}
