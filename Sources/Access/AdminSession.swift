import AppSupport
import FoundationEssentials

/// A live admin session: who, its CSRF token and its times; never its secret.
public struct AdminSession: Sendable, Equatable {
    /// The row id.
    public var id: Int
    /// The signed-in user.
    public var userID: Int
    /// The user's name as stored.
    public var username: String
    /// The token every form that changes anything must carry.
    public var csrfToken: String
    /// When the user signed in.
    public var createdAt: Date
    /// When the session was last used (refreshed at most once a minute).
    public var lastSeenAt: Date
    /// The absolute end of the session.
    public var expiresAt: Date

    /// Creates a value.
    public init(id: Int, userID: Int, username: String, csrfToken: String, createdAt: Date, lastSeenAt: Date, expiresAt: Date) {
        self.id = id
        self.userID = userID
        self.username = username
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.expiresAt = expiresAt
    }
}

/// Random text for cookies and CSRF tokens: 32 bytes from the kernel's generator
/// (`SystemRandomNumberGenerator` is `getrandom(2)` on Linux) as 43 characters of base64url.
public enum RandomToken {
    /// A new random token.
    public static func generate() -> String {
        TokenSecret.base64URL(TokenSecret.randomBytes(32))
    }

    /// True when `text` looks like a token `generate` made (43 base64url characters), so
    /// anything else is refused before it reaches the database.
    public static func isWellFormed(_ text: String) -> Bool {
        text.utf8.count == 43
            && text.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || byte == 0x2d
                    || byte == 0x5f
            }
    }

    /// SHA-256 of the text, in hex: what the database keeps of a session secret.
    public static func hash(_ text: String) -> String { SHA256.hash(Array(text.utf8)).hex }
}
