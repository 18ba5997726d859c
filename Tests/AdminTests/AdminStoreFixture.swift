import Access
import Postgres
import TestSupport

/// What the admin store tests start from: a connection to a fresh migrated database, on a thread
/// of its own, and a user.
enum AdminStoreFixture {
    /// The password of the users the tests make.
    static let password = "correct horse battery"

    /// Runs `body` on a thread of its own with a connection to a fresh migrated database.
    static func onFreshDatabase(_ body: @escaping @Sendable (PostgresConnection) throws -> Void) async throws {
        let url = try await TestDatabase.fresh()
        try await onThread { try body(try PostgresConnection(conninfo: url)) }
    }

    /// A new user `username` (`alice` unless said) with `password`.
    static func user(_ username: String = "alice", on connection: PostgresConnection) throws -> AdminUser {
        try AdminUserStore.create(username: username, password: password, on: connection)
    }
}
