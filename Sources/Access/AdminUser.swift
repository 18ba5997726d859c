import AppSupport
import FoundationEssentials

/// A web admin user, without the password hash.
public struct AdminUser: Sendable, Equatable {
    /// The row id.
    public var id: Int
    /// The name as created (sign-in matches it regardless of case).
    public var username: String
    /// When it was created.
    public var createdAt: Date
    /// When its password was last set.
    public var passwordChangedAt: Date
    /// When it last signed in.
    public var lastLoginAt: Date?
    /// When it was disabled, if it is.
    public var disabledAt: Date?
    /// Its sessions not ended and not past their absolute expiry.
    public var openSessions: Int

    /// Creates a value.
    public init(
        id: Int, username: String, createdAt: Date, passwordChangedAt: Date, lastLoginAt: Date?, disabledAt: Date?, openSessions: Int
    ) {
        self.id = id
        self.username = username
        self.createdAt = createdAt
        self.passwordChangedAt = passwordChangedAt
        self.lastLoginAt = lastLoginAt
        self.disabledAt = disabledAt
        self.openSessions = openSessions
    }

    /// The JSON form for `user list --json`.
    public var json: JSONValue {
        [
            "id": .int(id), "username": .string(username), "created_at": .string(Timestamps.iso8601(createdAt)),
            "password_changed_at": .string(Timestamps.iso8601(passwordChangedAt)),
            "last_login_at": lastLoginAt.map { .string(Timestamps.iso8601($0)) } ?? .null,
            "disabled_at": disabledAt.map { .string(Timestamps.iso8601($0)) } ?? .null,
            "open_sessions": .int(openSessions),
        ]
    }
}
