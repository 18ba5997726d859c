import AppSupport
import FoundationEssentials

/// A stored API token: its name and history, never the token itself.
public struct APIToken: Sendable, Equatable {
    /// The row id.
    public var id: Int
    /// The name given at creation (one live token per name).
    public var name: String
    /// The token's first characters, to tell tokens apart; not enough to use one.
    public var prefix: String
    /// When it was created.
    public var createdAt: Date
    /// When it was last accepted (refreshed at most once a minute).
    public var lastUsedAt: Date?
    /// When it was revoked, if it was.
    public var revokedAt: Date?

    /// Creates a value.
    public init(id: Int, name: String, prefix: String, createdAt: Date, lastUsedAt: Date?, revokedAt: Date?) {
        self.id = id
        self.name = name
        self.prefix = prefix
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }

    /// The JSON form for `token list --json`.
    public var json: JSONValue {
        [
            "id": .int(id), "name": .string(name), "prefix": .string(prefix), "created_at": .string(Timestamps.iso8601(createdAt)),
            "last_used_at": lastUsedAt.map { .string(Timestamps.iso8601($0)) } ?? .null,
            "revoked_at": revokedAt.map { .string(Timestamps.iso8601($0)) } ?? .null,
        ]
    }
}
