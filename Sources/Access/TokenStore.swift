import FoundationEssentials
import Postgres

/// Why a token command was refused.
public enum TokenError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A live token already has this name.
    case nameTaken(String)
    /// No live token has this name.
    case unknownName(String)
    /// A name outside `[A-Za-z0-9][A-Za-z0-9._-]{0,63}`.
    case invalidName(String)

    public var description: String {
        switch self {
        case .nameTaken(let name): return "a live token is already named \(name); revoke it first or choose another name"
        case .unknownName(let name): return "no live token is named \(name)"
        case .invalidName(let name): return "invalid token name \(name): use letters, digits, dots, dashes and underscores (at most 64)"
        }
    }
}

/// Creates, lists, revokes and checks API tokens. Only hashes are stored.
public enum TokenStore {
    /// Creates a token named `name` and returns it with its secret (the only time the secret
    /// exists outside the client).
    public static func create(name: String, on connection: PostgresConnection) throws -> (token: APIToken, secret: TokenSecret) {
        guard isValidName(name) else { throw TokenError.invalidName(name) }
        let secret = TokenSecret.generate()
        do {
            guard let row = try connection.query(TokenQueries.insert(name: name, hash: secret.hash, prefix: secret.prefix)).first else {
                throw PostgresError(kind: .usage, message: "the token row was not returned")
            }
            return (try APIToken(row: row), secret)
        } catch let error as PostgresError where error.sqlState == "23505" {
            throw TokenError.nameTaken(name)
        }
    }

    /// Every token (live ones only unless `includeRevoked`), by name.
    public static func list(includeRevoked: Bool = false, on connection: PostgresConnection) throws -> [APIToken] {
        try connection.query(TokenQueries.list(includeRevoked: includeRevoked)).map(APIToken.init(row:))
    }

    /// Revokes the live token named `name`.
    public static func revoke(name: String, on connection: PostgresConnection) throws {
        guard try !connection.query(TokenQueries.revoke(name: name)).isEmpty else { throw TokenError.unknownName(name) }
    }

    /// The live token whose secret is `text`, or nil.
    public static func authenticate(_ text: String, on connection: PostgresConnection) throws -> APIToken? {
        guard let hash = lookupHash(text) else { return nil }
        return try authenticate(hash: hash, on: connection)
    }

    /// The hash a secret a client sent is looked up by; nil when it cannot be a token.
    public static func lookupHash(_ text: String) -> String? {
        guard text.hasPrefix(TokenSecret.marker), text.utf8.count < 200 else { return nil }
        return TokenSecret(text: text).hash
    }

    /// The live token with this `lookupHash`, or nil.
    public static func authenticate(hash: String, on connection: PostgresConnection) throws -> APIToken? {
        try connection.query(TokenQueries.authenticate(hash: hash)).first.map(APIToken.init(row:))
    }

    /// The channel migration 0005 announces revoked, renamed and deleted tokens on.
    public static let changesChannel = "api_tokens_changed"

    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.unicodeScalars.count <= 64 else { return false }
        func alphanumeric(_ scalar: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
        }
        return alphanumeric(first) && name.unicodeScalars.allSatisfy { alphanumeric($0) || $0 == "." || $0 == "-" || $0 == "_" }
    }
}

extension APIToken {
    init(row: PostgresRow) throws {
        self.init(
            id: try row.decode(Int.self, "id"), name: try row.decode(String.self, "name"), prefix: try row.decode(String.self, "prefix"),
            createdAt: try row.decode(Date.self, "created_at"), lastUsedAt: try row.decode(Date?.self, "last_used_at"),
            revokedAt: try row.decode(Date?.self, "revoked_at"))
    }
}
