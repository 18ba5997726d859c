/// Every failure the Postgres module reports. Built at one choke point from libpq results, so the
/// rest of the program never sees a C status code.
///
/// `description` is safe to log: it carries the server's primary message, the SQLSTATE and the
/// constraint, never bound parameter values nor the connection password. The server's `detail`
/// (which can quote row values) is kept in its own field for callers that choose to show it.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, broadly.
    public enum Kind: String, Sendable {
        /// The connection string could not be parsed.
        case configuration
        /// No connection could be made, or it broke.
        case connection
        /// The server refused a statement (syntax, constraint, permission...).
        case query
        /// A value could not be decoded into the Swift type asked for.
        case decoding
        /// The program used the API wrongly (for example, a command inside a broken transaction).
        case usage
    }

    /// The broad category.
    public var kind: Kind
    /// The SQLSTATE code (`23505`, `57P01`...) when the server sent one.
    public var sqlState: String?
    /// The server's or libpq's primary message, first line only.
    public var message: String
    /// The server's DETAIL field; may quote values, so it is not part of `description`.
    public var detail: String?
    /// The server's HINT field.
    public var hint: String?
    /// The constraint involved, for integrity errors.
    public var constraint: String?

    /// Creates an error.
    public init(
        kind: Kind, sqlState: String? = nil, message: String, detail: String? = nil, hint: String? = nil,
        constraint: String? = nil
    ) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
        self.constraint = constraint
    }

    /// True for SQLSTATE class 23 (integrity constraint violation).
    public var isConstraintViolation: Bool { sqlState?.hasPrefix("23") ?? false }
    /// True for `23505` unique_violation.
    public var isUniqueViolation: Bool { sqlState == "23505" }
    /// True when the failure means the connection is gone (not the statement's fault).
    public var isConnectionFailure: Bool {
        if kind == .connection { return true }
        guard let state = sqlState else { return false }
        // 08: connection exception; 57P01..57P03: admin/crash shutdown, cannot connect now.
        return state.hasPrefix("08") || state == "57P01" || state == "57P02" || state == "57P03"
    }

    public var description: String {
        var text = "postgres \(kind.rawValue) error"
        if let sqlState { text += " \(sqlState)" }
        text += ": \(message)"
        if let constraint { text += " (constraint \(constraint))" }
        return text
    }
}
